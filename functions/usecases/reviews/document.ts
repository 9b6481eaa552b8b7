import type { GoneReason, RecordedDecision } from '../../pages/review/results.ts';
import type { EvidenceDocumentLinks } from '../../ports/evidence-store.ts';
import { findEvidence } from '../applications/evidence-records.ts';
import { loadApplication } from '../applications/records.ts';
import { findReviewLink, type LinkReaderPorts } from './link-records.ts';
import { goneReason, recordedDecisionOf } from './page.ts';

/**
 * A document of the review, opened from the confirmation page (CONTRACT.md
 * `GET /review/{linkId}/documents/{evidenceId}`): only while the link can still decide, only a
 * document of the round's snapshot, and always the copy frozen when it was verified at submission.
 * The answer is a short-lived presigned GET of that copy; the link id is in none of its URL.
 */

export type DocumentAnswer =
  | { readonly kind: 'REDIRECT'; readonly applicationId: string; readonly url: string }
  | { readonly kind: 'DECIDED'; readonly applicationId: string; readonly decision: RecordedDecision }
  | { readonly kind: 'GONE'; readonly applicationId: string; readonly reason: GoneReason }
  | { readonly kind: 'NOT_FOUND' };

export async function openReviewDocument(
  ports: LinkReaderPorts & { readonly evidence: EvidenceDocumentLinks },
  linkId: string,
  evidenceId: string,
  now: Date,
): Promise<DocumentAnswer> {
  const found = await findReviewLink(ports, linkId);
  if (!found) return { kind: 'NOT_FOUND' };
  const { link } = found;
  const record = await loadApplication(ports.store, link.applicationId);
  if (!record) return { kind: 'NOT_FOUND' };
  const { state } = record;
  const applicationId = state.id;
  if (link.usedAt !== undefined)
    return { kind: 'DECIDED', applicationId, decision: recordedDecisionOf(link) };
  const gone = goneReason(state, link, now.toISOString());
  if (gone !== null) return { kind: 'GONE', applicationId, reason: gone };

  // The round's snapshot: per required document, the upload its submission froze.
  const inSnapshot = state.requiredDocuments.some((type) => state.evidence[type]?.evidenceId === evidenceId);
  if (!inSnapshot) return { kind: 'NOT_FOUND' };
  const evidence = await findEvidence(ports.store, applicationId, evidenceId);
  if (evidence === undefined || evidence.status !== 'UPLOADED') return { kind: 'NOT_FOUND' };
  const { url } = await ports.evidence.presignDocumentLink({
    // Submitted before evidence was frozen: the upload key is what that submission checked.
    key: evidence.frozenKey ?? evidence.s3Key,
    fileName: evidence.fileName,
    contentType: evidence.contentType,
    now,
  });
  return { kind: 'REDIRECT', applicationId, url };
}
