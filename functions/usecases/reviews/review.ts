import { IllegalTransitionError } from '../../../domain/errors.ts';
import { currentReviews, policyOf, roundVerdict, type ApplicationState } from '../../../domain/lifecycle.ts';
import { reviewContext, type ReviewContext } from '../../../domain/review-view.ts';
import { toSupersede } from '../../../domain/tally.ts';
import type { Tier } from '../../../domain/tiers.ts';
import { isFinalStatus, type Decision, type DocumentType, type Party } from '../../../domain/vocabulary.ts';
import { loadEnterprise } from '../enterprises/records.ts';
import { nowIso } from '../../composition/clock.ts';
import type { Store } from '../../ports/store/store.ts';
import {
  changeApplication,
  listEvidence,
  loadApplication,
  type ApplicationRecord,
} from '../applications/repository.ts';
import { consumeLink, findReviewLink, type ReviewLink } from './link-records.ts';
import { resolveReviewWaits } from '../applications/waits.ts';

/**
 * The reviewer's side (CONTRACT.md `GET`/`POST /review/{linkId}`). GET builds the confirmation
 * page's model and changes nothing. POST decides: the link's conditional update picks the one
 * winner, the decision is recorded on the application, a rejection supersedes the round's other
 * pending reviews, and the waiting OpenReview tasks are resumed. Every outcome is a typed result,
 * never a thrown error: a reviewer always gets a page.
 */

export type GoneReason = 'EXPIRED' | 'WITHDRAWN' | 'CLOSED' | 'ROUND_CLOSED' | 'SUPERSEDED';

/** Why a link can no longer decide, or null while it can. */
export function goneReason(
  state: ApplicationState | undefined,
  link: ReviewLink,
  now: string,
): GoneReason | null {
  if (link.expiresAt <= now) return 'EXPIRED';
  if (state === undefined) return 'CLOSED';
  if (state.status === 'WITHDRAWN') return 'WITHDRAWN';
  if (state.status === 'EXPIRED') return 'EXPIRED';
  if (isFinalStatus(state.status)) return 'CLOSED';
  if (state.status !== 'UNDER_REVIEW' || state.round !== link.round) return 'ROUND_CLOSED';
  const review = state.reviews[link.party];
  if (review === undefined) return 'ROUND_CLOSED';
  if (review.status === 'SUPERSEDED') return 'SUPERSEDED';
  if (review.status !== 'PENDING') return 'CLOSED';
  if (state.approvedAt !== undefined || roundVerdict(state).result === 'REJECTED') return 'SUPERSEDED';
  return null;
}

/**
 * A decision as the link recorded it: what the result pages show. Read from the stored link, so
 * a page never restates the request (the comment is the trimmed one stored, the instant the one
 * written by the conditional update).
 */
export interface RecordedLinkDecision {
  readonly applicationId: string;
  readonly party: Party;
  readonly round: number;
  readonly decision: Decision;
  readonly decidedAt: string;
  readonly comment?: string;
}

export type DecideResult =
  | ({ readonly kind: 'DECIDED' } & RecordedLinkDecision)
  | ({ readonly kind: 'ALREADY_USED' } & RecordedLinkDecision)
  | { readonly kind: 'GONE'; readonly reason: GoneReason }
  | { readonly kind: 'COMMENT_REQUIRED'; readonly decision: Decision }
  | { readonly kind: 'BAD_NONCE' }
  | { readonly kind: 'NOT_FOUND' };

export interface DecisionForm {
  readonly decision: Decision;
  readonly comment?: string;
  readonly nonce: string;
}

/**
 * Closes the reviews a rejection made moot (REVIEW_SUPERSEDED for each), then resumes the waits
 * of every party whose review in the round is no longer pending. Safe to repeat.
 */
export async function settleRound(
  store: Store,
  applicationId: string,
  round: number,
): Promise<ApplicationState | undefined> {
  let record = await loadApplication(store, applicationId);
  if (!record) return undefined;
  const at = nowIso();
  const { maxRounds } = policyOf(record.state).review;
  for (const party of toSupersede(currentReviews(record.state), record.state.round, maxRounds)) {
    if (record.state.round !== round) break;
    try {
      ({ record } = await changeApplication(
        store,
        applicationId,
        (state) =>
          state.round === round && state.reviews[party]?.status === 'PENDING' && !isFinalStatus(state.status)
            ? { type: 'REVIEW_SUPERSEDED', at, round, party }
            : null,
        'workflow',
      ));
    } catch (error) {
      // The round ended or the application closed meanwhile: nothing is left to supersede.
      if (!(error instanceof IllegalTransitionError)) throw error;
      record = (await loadApplication(store, applicationId)) ?? record;
    }
  }
  await resolveReviewWaits(store, record.state, round);
  return record.state;
}

/**
 * Records a consumed link's decision on the application if it is not there yet (repairing a crash
 * between consuming the link and the state write), then settles the round. Returns whether the
 * application holds the decision.
 */
async function finishDecision(store: Store, link: ReviewLink): Promise<boolean> {
  const decision = link.decision;
  const at = link.usedAt;
  if (decision === undefined || at === undefined) return false;
  let recorded: ApplicationRecord;
  try {
    ({ record: recorded } = await changeApplication(
      store,
      link.applicationId,
      (state) =>
        state.round === link.round &&
        state.status === 'UNDER_REVIEW' &&
        state.reviews[link.party]?.status === 'PENDING'
          ? {
              type: 'REVIEW_DECIDED',
              at,
              round: link.round,
              party: link.party,
              decision,
              ...(link.comment === undefined ? {} : { comment: link.comment }),
            }
          : null,
      `reviewer:${link.party}`,
    ));
  } catch (error) {
    if (error instanceof IllegalTransitionError) return false;
    throw error;
  }
  await settleRound(store, link.applicationId, link.round);
  const review = recorded.state.round === link.round ? recorded.state.reviews[link.party] : undefined;
  return review?.decidedAt === at;
}

/** The decision a used link holds; only called for links whose update set usedAt and decision. */
function recordedDecisionOf(link: ReviewLink): RecordedLinkDecision {
  if (link.usedAt === undefined || link.decision === undefined) {
    throw new Error('a used review link holds no decision');
  }
  return {
    applicationId: link.applicationId,
    party: link.party,
    round: link.round,
    decision: link.decision,
    decidedAt: link.usedAt,
    ...(link.comment === undefined ? {} : { comment: link.comment }),
  };
}

/** POST /review/{linkId}. */
export async function decideReview(
  store: Store,
  linkId: string,
  form: DecisionForm,
  now: Date,
): Promise<DecideResult> {
  const found = await findReviewLink(store, linkId);
  if (!found) return { kind: 'NOT_FOUND' };
  const alreadyUsed = async (link: ReviewLink): Promise<DecideResult> => {
    await finishDecision(store, link);
    return { kind: 'ALREADY_USED', ...recordedDecisionOf(link) };
  };
  if (found.link.usedAt !== undefined) return alreadyUsed(found.link);

  const comment = form.comment?.trim() ?? '';
  if (form.decision !== 'APPROVE' && comment === '')
    return { kind: 'COMMENT_REQUIRED', decision: form.decision };
  const nowAt = now.toISOString();
  const application = await loadApplication(store, found.link.applicationId);
  const gone = goneReason(application?.state, found.link, nowAt);
  if (gone !== null) return { kind: 'GONE', reason: gone };

  const consumed = await consumeLink(store, linkId, {
    nonce: form.nonce,
    decision: form.decision,
    ...(comment === '' ? {} : { comment }),
    now: nowAt,
  });
  switch (consumed.kind) {
    case 'NOT_FOUND':
    case 'BAD_NONCE':
      return { kind: consumed.kind };
    case 'EXPIRED':
      return { kind: 'GONE', reason: 'EXPIRED' };
    case 'ALREADY_USED':
      return alreadyUsed(consumed.link);
    case 'CONSUMED': {
      if (await finishDecision(store, consumed.link)) {
        return { kind: 'DECIDED', ...recordedDecisionOf(consumed.link) };
      }
      // Between the page check and the write, the round was decided or the application closed.
      const latest = await loadApplication(store, consumed.link.applicationId);
      return { kind: 'GONE', reason: goneReason(latest?.state, consumed.link, nowAt) ?? 'CLOSED' };
    }
  }
}

export interface ReviewDocument {
  readonly documentType: DocumentType;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly uploadedAt: string;
  readonly round: number;
  /** Round 2 on: uploaded in this round, not in the previous round's set (RULES.md §6.10). */
  readonly isNew: boolean;
}

export interface ReviewPageModel {
  readonly party: Party;
  readonly round: number;
  readonly reviewerName: string;
  readonly expiresAt: string;
  readonly application: {
    readonly id: string;
    readonly enterpriseId: string;
    readonly enterpriseName?: string;
    readonly fromTier: Tier;
    readonly targetTier: Tier;
    readonly submittedAt: string;
    readonly statement: string;
    readonly status: ApplicationState['status'];
  };
  readonly documents: readonly ReviewDocument[];
  /** The lead's view of the round, earlier rounds' comments and the applicant's responses (RULES.md §6.9, §6.10). */
  readonly context: ReviewContext;
  /** OPEN: the form may be posted with `nonce`; DECIDED: the link's decision; GONE: why not. */
  readonly state:
    | { readonly kind: 'OPEN'; readonly nonce: string }
    | {
        readonly kind: 'DECIDED';
        readonly decision: Decision;
        readonly decidedAt: string;
        readonly comment?: string;
      }
    | { readonly kind: 'GONE'; readonly reason: GoneReason };
}

/** GET /review/{linkId}: what the confirmation page shows. Reads only. */
export async function reviewPageModel(
  store: Store,
  linkId: string,
  now: Date,
): Promise<ReviewPageModel | undefined> {
  const found = await findReviewLink(store, linkId);
  if (!found) return undefined;
  const { link } = found;
  const record = await loadApplication(store, link.applicationId);
  if (!record) return undefined;
  const { state } = record;
  const [evidence, enterprise] = await Promise.all([
    listEvidence(store, state.id),
    loadEnterprise(store, state.enterpriseId),
  ]);
  const context = reviewContext(state, link.party);
  const documents: ReviewDocument[] = state.requiredDocuments.flatMap((documentType) => {
    const info = state.evidence[documentType];
    const item = info && evidence.find((e) => e.evidenceId === info.evidenceId);
    return info && item
      ? [
          {
            documentType,
            fileName: item.fileName,
            contentType: item.contentType,
            size: item.size,
            uploadedAt: info.uploadedAt,
            round: info.round,
            isNew: context.newDocuments.includes(documentType),
          },
        ]
      : [];
  });
  let pageState: ReviewPageModel['state'];
  if (link.usedAt !== undefined && link.decision !== undefined) {
    pageState = {
      kind: 'DECIDED',
      decision: link.decision,
      decidedAt: link.usedAt,
      ...(link.comment === undefined ? {} : { comment: link.comment }),
    };
  } else {
    const gone = goneReason(state, link, now.toISOString());
    pageState =
      gone === null && found.nonce !== undefined
        ? { kind: 'OPEN', nonce: found.nonce }
        : { kind: 'GONE', reason: gone ?? 'CLOSED' };
  }
  return {
    party: link.party,
    round: link.round,
    reviewerName: link.reviewerName,
    expiresAt: link.expiresAt,
    application: {
      id: state.id,
      enterpriseId: state.enterpriseId,
      ...(enterprise ? { enterpriseName: enterprise.profile.name } : {}),
      fromTier: state.fromTier,
      targetTier: state.targetTier,
      submittedAt: state.submittedAt,
      statement: record.statement,
      status: state.status,
    },
    documents,
    context,
    state: pageState,
  };
}
