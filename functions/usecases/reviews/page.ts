import { localDateIn } from '../../../domain/dates.ts';
import { roundVerdict, type ApplicationState } from '../../../domain/lifecycle.ts';
import { reviewContext } from '../../../domain/review-view.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import type { ReviewDocument, ReviewPageModel } from '../../pages/review/confirmation.ts';
import type { GoneReason, RecordedDecision } from '../../pages/review/results.ts';
import { listEvidence } from '../applications/evidence-records.ts';
import { loadApplication } from '../applications/records.ts';
import { loadEnterprise } from '../enterprises/records.ts';
import { reviewCaseOf } from './case.ts';
import { findReviewLink, type LinkReaderPorts, type ReviewLink } from './link-records.ts';

/**
 * What a review link shows when it is opened (CONTRACT.md `GET /review/{linkId}`): the
 * confirmation page with its one-time form, the decision recorded with the link, or why the link
 * decides nothing any more. Reads only: opening a link changes nothing.
 *
 * An open link costs four store reads: the link item, the application, its evidence items and the
 * enterprise (profile and fact records in one query); the case on the page (causes, facts, clock)
 * is classified from that enterprise read, so it adds none.
 */

export type LinkPage =
  | { readonly kind: 'OPEN'; readonly applicationId: string; readonly page: ReviewPageModel }
  | { readonly kind: 'DECIDED'; readonly applicationId: string; readonly decision: RecordedDecision }
  | { readonly kind: 'GONE'; readonly applicationId: string; readonly reason: GoneReason };

/**
 * Why a link can no longer decide, or null while it can. A closed round reads as superseded, and so
 * does a link a newer one replaced (a reminder's) or whose party decided through another of its
 * links (the reviewer's or the escalation contact's, whichever came second).
 */
export function goneReason(
  state: ApplicationState | undefined,
  link: ReviewLink,
  now: string,
): GoneReason | null {
  if (link.expiresAt <= now) return 'EXPIRED';
  if (link.supersededAt !== undefined) return 'SUPERSEDED';
  if (state === undefined) return 'CLOSED';
  if (state.status === 'WITHDRAWN') return 'WITHDRAWN';
  if (state.status === 'EXPIRED') return 'EXPIRED';
  if (isFinalStatus(state.status)) return 'CLOSED';
  if (state.status !== 'UNDER_REVIEW' || state.round !== link.round) return 'SUPERSEDED';
  const review = state.reviews[link.party];
  if (review === undefined) return 'SUPERSEDED';
  if (review.status !== 'PENDING') return 'SUPERSEDED';
  if (state.approvedAt !== undefined || roundVerdict(state).result === 'REJECTED') return 'SUPERSEDED';
  return null;
}

/** The decision a used link holds, as the link recorded it (never as a form said it). */
export function recordedDecisionOf(link: ReviewLink): RecordedDecision {
  if (link.usedAt === undefined || link.decision === undefined) {
    throw new Error('a used review link holds no decision');
  }
  return {
    applicationId: link.applicationId,
    party: link.party,
    decision: link.decision,
    decidedAt: link.usedAt,
    ...(link.comment === undefined ? {} : { comment: link.comment }),
  };
}

/** The page a link opens, or undefined for a link that is malformed, unknown or of no application. */
export async function reviewPage(
  ports: LinkReaderPorts,
  linkId: string,
  now: Date,
): Promise<LinkPage | undefined> {
  const found = await findReviewLink(ports, linkId);
  if (!found) return undefined;
  const { link } = found;
  const record = await loadApplication(ports.store, link.applicationId);
  if (!record) return undefined;
  const { state } = record;
  const applicationId = state.id;
  if (link.usedAt !== undefined)
    return { kind: 'DECIDED', applicationId, decision: recordedDecisionOf(link) };
  const gone = goneReason(state, link, now.toISOString());
  if (gone !== null || found.nonce === undefined)
    return { kind: 'GONE', applicationId, reason: gone ?? 'CLOSED' };

  const [evidence, enterprise] = await Promise.all([
    listEvidence(ports.store, state.id),
    loadEnterprise(ports.store, state.enterpriseId),
  ]);
  const context = reviewContext(state, link.party);
  const documents: ReviewDocument[] = state.requiredDocuments.flatMap((documentType) => {
    const info = state.evidence[documentType];
    const item = info && evidence.find((e) => e.evidenceId === info.evidenceId);
    return item
      ? [
          {
            documentType,
            href: `${encodeURIComponent(linkId)}/documents/${encodeURIComponent(item.evidenceId)}`,
            fileName: item.fileName,
            contentType: item.contentType,
            size: item.size,
            isNew: context.newDocuments.includes(documentType),
          },
        ]
      : [];
  });
  return {
    kind: 'OPEN',
    applicationId,
    page: {
      party: link.party,
      reviewerName: link.reviewerName,
      round: link.round,
      expiresAt: link.expiresAt,
      application: {
        id: state.id,
        enterpriseId: state.enterpriseId,
        ...(enterprise ? { enterpriseName: enterprise.profile.name } : {}),
        fromTier: state.fromTier,
        targetTier: state.targetTier,
        statement: record.statement,
        submittedAt: state.submittedAt,
      },
      ...(enterprise ? { case: reviewCaseOf(state, enterprise, localDateIn(now)) } : {}),
      documents,
      leadParty: context.leadParty,
      othersThisRound: context.othersThisRound,
      earlierRounds: context.earlierRounds,
      responses: context.responses,
      nonce: found.nonce,
    },
  };
}
