import { APPLICATION_STATUS_NAMES, REVIEW_STATUS_NAMES, tierName } from '../../../domain/labels.ts';
import type { Tier } from '../../../domain/tiers.ts';
import type { ApplicationStatus, ReviewStatus } from '../../../domain/vocabulary.ts';
import { useT } from '../i18n.ts';
import { S } from '../strings.ts';

const TIER_TONE: Readonly<Record<Tier, string>> = {
  ADVANCED_CERTIFIED: 'good',
  CERTIFIED: 'good',
  REGULAR: 'neutral',
  DISHONEST: 'bad',
  SERIOUSLY_DISHONEST: 'bad',
};

export function TierBadge(props: { tier: Tier }) {
  const { t } = useT();
  return (
    <span class={`badge ${TIER_TONE[props.tier]}`} data-tier={props.tier}>
      {t(tierName(props.tier))}
    </span>
  );
}

const STATUS_TONE: Readonly<Record<ApplicationStatus, string>> = {
  AWAITING_EVIDENCE: 'active',
  UNDER_REVIEW: 'active',
  APPROVED: 'good',
  REJECTED: 'bad',
  WITHDRAWN: 'neutral',
  EXPIRED: 'bad',
};

export function StatusBadge(props: { status: ApplicationStatus }) {
  const { t } = useT();
  return (
    <span class={`badge ${STATUS_TONE[props.status]}`} data-status={props.status}>
      {t(APPLICATION_STATUS_NAMES[props.status])}
    </span>
  );
}

export function ReviewStatusBadge(props: { status: ReviewStatus }) {
  const { t } = useT();
  const tone =
    props.status === 'APPROVED'
      ? 'good'
      : props.status === 'PENDING'
        ? 'active'
        : props.status === 'SUPERSEDED'
          ? 'neutral'
          : 'bad';
  return (
    <span class={`badge ${tone}`} data-status={props.status}>
      {t(REVIEW_STATUS_NAMES[props.status])}
    </span>
  );
}

/** A date, with an "overdue" mark when it is before today. */
export function Deadline(props: { on: string | undefined; today: string | undefined; open: boolean }) {
  const { t } = useT();
  if (props.on === undefined) return <span class="muted">—</span>;
  const overdue = props.open && props.today !== undefined && props.on < props.today;
  return (
    <span>
      {props.on}
      {overdue && <span class="badge bad overdue"> {t(S.overdue)}</span>}
    </span>
  );
}
