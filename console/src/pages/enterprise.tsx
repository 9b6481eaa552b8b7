import { useState } from 'preact/hooks';
import {
  APPLICATION_STATUS_NAMES,
  CAUSE_NAMES,
  ENTERPRISE_EVENT_NAMES,
  FACT_TYPE_NAMES,
  REFUSAL_NAMES,
  tierName,
} from '../../../domain/labels.ts';
import { getEligibility, getEnterprise, getEnterpriseEvents, keys, listApplications } from '../api/calls.ts';
import { useQuery } from '../api/query.ts';
import type { ApplicationSummary, Eligibility, Enterprise, EnterpriseEvent, Fact } from '../api/types.ts';
import { StatusBadge, TierBadge } from '../components/badges.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemAlert } from '../components/problem.tsx';
import { Timeline, type TimelineItem } from '../components/timeline.tsx';
import { capitalized, formatInstant, formatYuan, useT, type Bilingual } from '../i18n.ts';
import { href } from '../router.ts';
import type { Session } from '../session.ts';
import { S } from '../strings.ts';
import { useToday } from '../today.ts';
import { ApplyForm } from './apply.tsx';
import { PaymentForm, RecordFactForm, VoidForm } from './fact-forms.tsx';

function Summary(props: { enterprise: Enterprise }) {
  const { t } = useT();
  const e = props.enterprise;
  return (
    <dl class="facts-grid">
      <dt>{t(S.enterpriseId)}</dt>
      <dd class="code">{e.id}</dd>
      <dt>{t(S.contactEmail)}</dt>
      <dd>{e.contactEmail}</dd>
      <dt>{t(S.tier)}</dt>
      <dd data-testid="tier">
        <TierBadge tier={e.tier} /> <span class="code">{e.tier}</span>
      </dd>
      <dt>{t(S.listing)}</dt>
      <dd>
        {e.listing === null
          ? t(S.notListed)
          : `${e.listing.label} · ${t(S.listedSince)} ${e.listing.since} · ${t(S.listedUntil)} ${e.listing.until ?? t(S.noEnd)}`}
      </dd>
      {e.certification && (
        <>
          <dt>{t(S.certification)}</dt>
          <dd>
            {t(S.reviewDueOn)} {e.certification.reviewDueOn}
            {e.certification.overdue && <span class="badge bad"> {t(S.overdue)}</span>}
          </dd>
        </>
      )}
      {e.certificationBarUntil && (
        <>
          <dt>{t(S.certificationBarUntil)}</dt>
          <dd>{e.certificationBarUntil}</dd>
        </>
      )}
    </dl>
  );
}

function Rectification(props: { enterprise: Enterprise; today: string | undefined }) {
  const { t, lang } = useT();
  const r = props.enterprise.rectification;
  if (r === null) return null;
  const mayApply =
    r.earliestApplicationOn !== null && props.today !== undefined && r.earliestApplicationOn <= props.today;
  return (
    <section aria-labelledby="rectification-heading" class="card">
      <h2 id="rectification-heading">{t(S.rectification)}</h2>
      <dl class="facts-grid">
        <dt>{t(S.clockStart)}</dt>
        <dd>{r.clockStart ?? t(S.clockNotStarted)}</dd>
        <dt>{t(S.minimumMonths)}</dt>
        <dd>{r.minimumMonths}</dd>
        <dt>{t(S.earliestApplication)}</dt>
        <dd data-testid="earliest-on">
          {r.earliestApplicationOn ?? '—'}
          {mayApply && <span class="badge good"> {t(S.mayApply)}</span>}
        </dd>
      </dl>
      {r.outstanding.length > 0 && (
        <table>
          <caption>{t(S.outstanding)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(S.factType)}</th>
              <th scope="col">{t(S.amount)}</th>
              <th scope="col">{t(S.dueOn)}</th>
            </tr>
          </thead>
          <tbody>
            {r.outstanding.map((o) => (
              <tr key={o.factId}>
                <td>{t(FACT_TYPE_NAMES[o.type])}</td>
                <td>{formatYuan(o.amount, lang)}</td>
                <td>{o.dueOn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** When the enterprise may apply (GET /enterprises/{id}/eligibility): every refusal, the earliest date. */
function EligibilityCard(props: { eligibility: Eligibility }) {
  const { t, lang } = useT();
  const e = props.eligibility;
  return (
    <section aria-labelledby="eligibility-heading" class="card" data-testid="eligibility">
      <h2 id="eligibility-heading">{t(S.eligibility)}</h2>
      {e.eligible ? (
        <p data-eligible="true">
          <span class="badge good">{t(S.mayApply)}</span> {t(S.eligibleNow)}
        </p>
      ) : (
        <>
          {e.earliestApplicationOn !== null && (
            <p>
              {t(S.mayApplyFrom)}: <strong data-testid="eligible-on">{e.earliestApplicationOn}</strong>
            </p>
          )}
          <p>{t(S.refusalReasons)}:</p>
          <ul>
            {e.reasons.map((reason) => (
              <li key={reason.code} data-refusal={reason.code}>
                {t(REFUSAL_NAMES[reason.code])}
                {reason.earliestApplicationOn &&
                  ` (${t(S.earliestApplication)}: ${reason.earliestApplicationOn})`}
                {reason.applicationId && (
                  <>
                    {' '}
                    <a href={href.application(reason.applicationId)}>{reason.applicationId}</a>
                  </>
                )}
                {reason.facts && (
                  <ul>
                    {reason.facts.map((f) => (
                      <li key={f.factId}>
                        {t(FACT_TYPE_NAMES[f.type])} {formatYuan(f.amount, lang)} · {t(S.dueOn)} {f.dueOn}
                      </li>
                    ))}
                  </ul>
                )}{' '}
                <span class="code">({reason.code})</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Causes(props: { enterprise: Enterprise }) {
  const { t } = useT();
  const { causes } = props.enterprise;
  return (
    <section aria-labelledby="causes-heading">
      <h2 id="causes-heading">{t(S.causes)}</h2>
      {causes.length === 0 ? (
        <p class="muted">{t(S.noCauses)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(S.cause)}</th>
                <th scope="col">{t(S.tier)}</th>
                <th scope="col">{t(S.determinedOn)}</th>
                <th scope="col">{t(S.rectifiedOn)}</th>
                <th scope="col">{t(S.minimumMonths)}</th>
                <th scope="col">{t(S.policy)}</th>
                <th scope="col">{t(S.causeFacts)}</th>
              </tr>
            </thead>
            <tbody>
              {causes.map((cause, index) => (
                <tr key={index} data-cause={cause.code}>
                  <td>{capitalized(t(CAUSE_NAMES[cause.code]))}</td>
                  <td>{t(tierName(cause.tier))}</td>
                  <td>{cause.determinedOn}</td>
                  <td>{cause.rectified ? (cause.rectifiedOn ?? t(S.yes)) : t(S.no)}</td>
                  <td>{cause.minimumMonths}</td>
                  <td class="code">{cause.policyId}</td>
                  <td class="code">{cause.factIds.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const payable = (fact: Fact) =>
  (fact.type === 'FINE' || fact.type === 'TAX_ASSESSMENT') &&
  fact.paidOn === undefined &&
  fact.voided === undefined;

function Facts(props: { enterprise: Enterprise; officer: boolean }) {
  const { t, lang } = useT();
  const [open, setOpen] = useState<{ factId: string; form: 'pay' | 'void' }>();
  const { facts, id: enterpriseId } = props.enterprise;
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t(S.facts)}</h2>
      {facts.length === 0 ? (
        <p class="muted">{t(S.noFacts)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(S.factType)}</th>
                <th scope="col">{t(S.amount)}</th>
                <th scope="col">
                  {t(S.imposedOn)} / {t(S.occurredOn)}
                </th>
                <th scope="col">{t(S.dueOn)}</th>
                <th scope="col">{t(S.paidOn)}</th>
                <th scope="col">{t(S.recordedAt)}</th>
                <th scope="col">{t(S.policy)}</th>
                {props.officer && <th scope="col">{t(S.actions)}</th>}
              </tr>
            </thead>
            <tbody>
              {facts.map((fact) => (
                <tr key={fact.id} class={fact.voided ? 'voided' : undefined} data-fact={fact.id}>
                  <td>
                    {t(FACT_TYPE_NAMES[fact.type])} <span class="code">{fact.id}</span>
                    {fact.voided && (
                      <div>
                        <span class="badge neutral">{t(S.voided)}</span> {fact.voided.reason}
                      </div>
                    )}
                  </td>
                  <td>{fact.amount === undefined ? '—' : formatYuan(fact.amount, lang)}</td>
                  <td>{fact.imposedOn ?? fact.occurredOn ?? '—'}</td>
                  <td>{fact.dueOn ?? '—'}</td>
                  <td>{fact.paidOn ?? '—'}</td>
                  <td>{formatInstant(fact.recordedAt, lang)}</td>
                  <td class="code">{fact.policyId}</td>
                  {props.officer && (
                    <td>
                      {open?.factId === fact.id ? (
                        open.form === 'pay' ? (
                          <PaymentForm
                            enterpriseId={enterpriseId}
                            fact={fact}
                            onDone={() => setOpen(undefined)}
                          />
                        ) : (
                          <VoidForm
                            enterpriseId={enterpriseId}
                            fact={fact}
                            onDone={() => setOpen(undefined)}
                          />
                        )
                      ) : (
                        <div class="button-row">
                          {payable(fact) && (
                            <button
                              type="button"
                              class="secondary"
                              onClick={() => setOpen({ factId: fact.id, form: 'pay' })}
                            >
                              {t(S.recordPayment)}
                            </button>
                          )}
                          {fact.voided === undefined && (
                            <button
                              type="button"
                              class="secondary"
                              onClick={() => setOpen({ factId: fact.id, form: 'void' })}
                            >
                              {t(S.voidFact)}
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ApplicationsTable(props: { items: readonly ApplicationSummary[]; caption?: string }) {
  const { t, lang } = useT();
  if (props.items.length === 0) return <p class="muted">{t(S.noApplications)}</p>;
  return (
    <div class="table-wrap">
      <table>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            <th scope="col">{t(S.application)}</th>
            <th scope="col">{t(S.status)}</th>
            <th scope="col">{t(S.round)}</th>
            <th scope="col">{t(S.submittedAt)}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={href.application(a.id)}>{a.id}</a>
              </td>
              <td>
                <StatusBadge status={a.status} />
              </td>
              <td>{a.round}</td>
              <td>{formatInstant(a.submittedAt, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const eventDetail = (event: EnterpriseEvent): string | undefined =>
  event.detail === undefined
    ? undefined
    : Object.entries(event.detail)
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join(' · ');

/**
 * The enterprise's history: its event log (tier changes, determinations, notices, listing
 * changes: GET /enterprises/{id}/events), the facts as recorded, paid and voided, and its
 * applications.
 */
function enterpriseTimeline(
  enterprise: Enterprise,
  events: readonly EnterpriseEvent[],
  applications: readonly ApplicationSummary[],
  t: (b: Bilingual) => string,
): TimelineItem[] {
  const items: TimelineItem[] = events.map((event) => {
    const detail = eventDetail(event);
    const name = ENTERPRISE_EVENT_NAMES[event.type];
    return {
      at: event.at,
      what: name === undefined ? event.type : t(name),
      who: event.actor,
      ...(detail === undefined ? {} : { detail }),
    };
  });
  for (const fact of enterprise.facts) {
    const name = t(FACT_TYPE_NAMES[fact.type]);
    items.push({ at: fact.recordedAt, what: `${t(S.recordFact)}: ${name}`, detail: fact.id });
    if (fact.paidOn) items.push({ at: fact.paidOn, what: `${t(S.paidOn)}: ${name}`, detail: fact.id });
    if (fact.voided)
      items.push({ at: fact.voided.recordedAt, what: `${t(S.voided)}: ${name}`, detail: fact.voided.reason });
  }
  for (const cause of enterprise.causes) {
    const name = capitalized(t(CAUSE_NAMES[cause.code]));
    if (cause.rectifiedOn) items.push({ at: cause.rectifiedOn, what: `${t(S.rectifiedOn)}: ${name}` });
    if (cause.closed)
      items.push({ at: cause.closed.on, what: `${t(S.causeClosed)}: ${name}`, detail: cause.closed.kind });
  }
  for (const a of applications) {
    items.push({
      at: a.submittedAt,
      what: `${t(S.application)} ${a.id}`,
      detail: t(APPLICATION_STATUS_NAMES[a.status]),
    });
  }
  return items;
}

export function EnterprisePage(props: { id: string; session: Session }) {
  const { t } = useT();
  const today = useToday();
  const officer = props.session.principal.role === 'officer';
  const enterprise = useQuery(keys.enterprise(props.id), () => getEnterprise(props.id));
  const query = new URLSearchParams({ enterpriseId: props.id });
  const applications = useQuery(keys.applications(query.toString()), () => listApplications(query));
  const eligibility = useQuery(keys.eligibility(props.id), () => getEligibility(props.id));
  const events = useQuery(keys.enterpriseEvents(props.id), () => getEnterpriseEvents(props.id));
  const e = enterprise.data;
  const items = applications.data?.items ?? [];
  const openApplication = items.find((a) => a.id === e?.openApplicationId);
  return (
    <Page title={e ? `${e.name}` : `${t(S.enterprise)} ${props.id}`}>
      {enterprise.loading && <Loading />}
      <ProblemAlert error={enterprise.error} />
      {e && (
        <>
          <Summary enterprise={e} />
          <Rectification enterprise={e} today={today} />
          {eligibility.data && <EligibilityCard eligibility={eligibility.data} />}
          {e.openApplicationId && (
            <p class="card">
              {t(S.openApplication)}:{' '}
              <a href={href.application(e.openApplicationId)}>{e.openApplicationId}</a>{' '}
              {openApplication && <StatusBadge status={openApplication.status} />}
            </p>
          )}
          {!officer && e.openApplicationId === undefined && <ApplyForm enterpriseId={e.id} />}
          <Causes enterprise={e} />
          <Facts enterprise={e} officer={officer} />
          {officer && <RecordFactForm enterpriseId={e.id} />}
          <section aria-labelledby="applications-heading">
            <h2 id="applications-heading">{t(S.applications)}</h2>
            <ProblemAlert error={applications.error} />
            <ApplicationsTable items={items} />
          </section>
          <ProblemAlert error={events.error} />
          <Timeline items={enterpriseTimeline(e, events.data?.items ?? [], items, t)} />
        </>
      )}
    </Page>
  );
}
