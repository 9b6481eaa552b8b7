import { startOfLocalDay } from '../../../domain/dates.ts';
import { reviewSchedule } from '../../../domain/deadlines.ts';
import { policyOf, type ApplicationState } from '../../../domain/lifecycle.ts';
import type { Party, ReviewRole } from '../../../domain/vocabulary.ts';
import {
  reviewEscalationEmail,
  reviewReminderEmail,
  type ReviewAsk,
} from '../../pages/email/application-emails.ts';
import type { Needs } from '../../ports/ports.ts';
import type { Reviewer } from '../directory/reviewers.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { issueReviewLink, supersedeEarlierLinks } from './issue-link.ts';
import { reviewUrl } from './link-ids.ts';

/**
 * One reminder or escalation of a party's pending review (RULES.md §4, CONTRACT.md "reminders and
 * escalations"): it goes to the directory's current entry for the party, so a reviewer replaced
 * since the round opened is the one reminded, and it carries a working link of its own, issued as
 * every review link is (issue-link.ts):
 * - a reminder gives the reviewer a fresh link and supersedes the reviewer's earlier ones (the
 *   round's first, whoever it was sent to);
 * - an escalation gives the escalation contact a link of their own and leaves the reviewer's live:
 *   the first of them to decide counts, and the other link then answers as superseded.
 *
 * The sweep's duty claim (sweep/claims.ts) runs this at least once per duty; a run after a crash
 * issues another link, which supersedes the one issued before the crash.
 */

export type ChasePorts = Needs<'store' | 'mailer' | 'linkSecret'> & { readonly reviewBaseUrl: string };

export interface Chase {
  readonly kind: 'REVIEW_REMINDER' | 'REVIEW_ESCALATION';
  readonly party: Party;
  readonly round: number;
}

export async function chaseReview(
  ports: ChasePorts,
  state: ApplicationState,
  chase: Chase,
  reviewer: Reviewer,
  now: string,
): Promise<{ readonly deadlineOn: string }> {
  if (state.reviewOpenedOn === undefined) throw new Error(`no review is open for ${state.id}`);
  const schedule = reviewSchedule(state.reviewOpenedOn, policyOf(state));
  const enterprise = await requireEnterprise(ports.store, state.enterpriseId);
  const holder: ReviewRole = chase.kind === 'REVIEW_REMINDER' ? 'REVIEWER' : 'ESCALATION';
  const to = holder === 'REVIEWER' ? reviewer.email : reviewer.escalationEmail;
  // The directory keeps no name for the escalation contact: the link is bound to the address.
  const name = holder === 'REVIEWER' ? reviewer.name : reviewer.escalationEmail;
  const { linkId, earlier } = await issueReviewLink(ports, {
    applicationId: state.id,
    round: chase.round,
    party: chase.party,
    reviewerName: name,
    reviewerEmail: to,
    expiresAt: startOfLocalDay(schedule.timeoutOn),
    now,
    holder,
  });
  const ask: ReviewAsk = {
    reviewerName: name,
    party: chase.party,
    applicationId: state.id,
    enterpriseId: state.enterpriseId,
    enterpriseName: enterprise.profile.name,
    fromTier: state.fromTier,
    round: chase.round,
    deadlineOn: schedule.deadlineOn,
    timeoutOn: schedule.timeoutOn,
    url: reviewUrl(ports.reviewBaseUrl, linkId),
  };
  const email =
    holder === 'REVIEWER'
      ? reviewReminderEmail(ask)
      : reviewEscalationEmail({ ...ask, assignedReviewer: reviewer.name });
  await ports.mailer.send({ to: [to], ...email, tags: { source: 'sweep', duty: chase.kind } });
  await supersedeEarlierLinks(ports, earlier, holder, now);
  return { deadlineOn: schedule.deadlineOn };
}
