import { reviewSchedule } from '../../../domain/deadlines.ts';
import { policyOf, type ApplicationState } from '../../../domain/lifecycle.ts';
import {
  applicationDutiesOn,
  nextApplicationDueOn,
  type ApplicationDuty,
} from '../../../domain/review-duties.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { expireApplication } from '../applications/expire.ts';
import { getReviewer } from '../directory/reviewers.ts';
import { applicationPartition, keys } from '../../ports/store/keys.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';
import { appendEntry, sweepDutyEntry } from '../applications/timeline.ts';
import { doneDutyKeys, runDuty, type DutyClaim } from './claims.ts';
import type { ItemOutcome, SweepContext } from './context.ts';
import type { DutyCounter } from './counts.ts';
import { setDueIfVersion } from './due.ts';
import { restartIfStalled } from './restarts.ts';
import { chaseReview } from '../reviews/chase.ts';

/**
 * RULES.md §4 and §5.5 for one application the due index points to: evidence and review timeouts
 * (expire the application and fail its waiting task), review reminders to the reviewer and
 * escalations to the party's escalation contact. The duties come from the domain
 * (applicationDutiesOn); this module claims, does and records them.
 */

const COUNTER: Readonly<Record<ApplicationDuty['kind'], DutyCounter>> = {
  EVIDENCE_TIMEOUT: 'evidenceTimeouts',
  REVIEW_TIMEOUT: 'reviewTimeouts',
  REVIEW_REMINDER: 'reviewReminders',
  REVIEW_ESCALATION: 'reviewEscalations',
};

/** A directory without a reviewer for a party cannot be chased; the item stays due until one is set. */
export class NoReviewerError extends Error {
  constructor(party: string) {
    super(`the reviewer directory has no reviewer for ${party}`);
    this.name = 'NoReviewerError';
  }
}

interface ApplicationItem extends StoredItem {
  readonly state: ApplicationState;
  readonly version: number;
  readonly dueOn?: string;
}

const readApplication = (store: Store, applicationId: string): Promise<ApplicationItem | undefined> =>
  store.get<ApplicationItem>(keys.application(applicationId));

export async function sweepApplication(ctx: SweepContext, applicationId: string): Promise<ItemOutcome> {
  const item = await readApplication(ctx.store, applicationId);
  if (item === undefined || item.dueOn === undefined || item.dueOn > ctx.today) return 'NOT_DUE';
  // Decided but not closed out: its execution stopped before the last step; it stays due (and is
  // read once a day) until the restarted execution closes it out.
  if (isFinalStatus(item.state.status)) {
    if (ctx.restartExecutions && (await restartIfStalled(ctx, applicationId))) {
      ctx.counts.executionsRestarted += 1;
    }
    return 'SWEPT';
  }

  const done = await doneDutyKeys(ctx.store, applicationPartition(applicationId));
  const duties = applicationDutiesOn(item.state, ctx.today, done);
  let inProgress = false;
  for (const duty of duties) {
    const run = await runDuty(
      ctx,
      keys.application(applicationId),
      { key: duty.key, kind: duty.kind, on: duty.dueOn, payload: duty },
      done,
      COUNTER[duty.kind],
      (claim) => act(ctx, item.state, duty, claim),
    );
    if (!run.ran) {
      inProgress ||= run.inProgress;
      continue;
    }
    // A timeout ends the application: its own write set the due pair, and nothing else is due.
    if (run.result) return 'SWEPT';
  }
  if (inProgress) return 'IN_PROGRESS';

  const pending = applicationDutiesOn(item.state, ctx.today, done).length > 0;
  const next = pending ? ctx.today : nextApplicationDueOn(item.state, ctx.today);
  if (item.dueOn !== next) {
    await setDueIfVersion(ctx.store, keys.application(applicationId), item.version, next);
  }
  return 'SWEPT';
}

/** Does one duty; true when it changed the application's state (an expiry). */
async function act(
  ctx: SweepContext,
  state: ApplicationState,
  duty: ApplicationDuty,
  claim: DutyClaim,
): Promise<boolean> {
  switch (duty.kind) {
    case 'EVIDENCE_TIMEOUT':
    case 'REVIEW_TIMEOUT': {
      const kind = duty.kind === 'EVIDENCE_TIMEOUT' ? 'EVIDENCE' : 'REVIEW';
      // The reducer checks the expiry's date against the deadline; the run's instant is on or after it.
      await expireApplication(ctx, state.id, kind, new Date(ctx.now));
      return true;
    }
    case 'REVIEW_REMINDER':
    case 'REVIEW_ESCALATION': {
      const party = duty.party;
      if (party === undefined || state.reviewOpenedOn === undefined) {
        throw new Error(`review duty ${duty.key} without a party or an open review`);
      }
      const reviewer = await getReviewer(ctx.store, party);
      if (reviewer === undefined) throw new NoReviewerError(party);
      const deadlineOn = reviewSchedule(state.reviewOpenedOn, policyOf(state)).deadlineOn;
      const reminder = duty.kind === 'REVIEW_REMINDER';
      // Stamped with the first claim's instant, so a redone duty writes the entry once.
      await appendEntry(
        ctx.store,
        state.id,
        sweepDutyEntry(state.id, {
          at: claim.claimedAt,
          dutyKey: duty.key,
          type: reminder ? 'REVIEW_REMINDER_SENT' : 'REVIEW_ESCALATED',
          detail: { party, round: duty.round, deadlineOn },
        }),
      );
      // A fresh link each time (reviews/chase.ts): a redone duty's link supersedes the one before.
      await chaseReview(ctx, state, { kind: duty.kind, party, round: duty.round }, reviewer, ctx.now);
      return false;
    }
  }
}
