import { localDateIn } from '../../../domain/dates.ts';
import { normalizeContentType, validateDocumentUpload } from '../../../domain/documents.ts';
import { DomainError, IllegalTransitionError } from '../../../domain/errors.ts';
import { policyOf, responseRequired } from '../../../domain/lifecycle.ts';
import type { Policy } from '../../../domain/policy.ts';
import type { DocumentType } from '../../../domain/vocabulary.ts';
import { actorOf, assertCanActFor, type Principal } from '../../auth/principal.ts';
import type { EvidenceObject, EvidenceStore } from '../../ports/evidence-store.ts';
import type { Needs } from '../../ports/ports.ts';
import {
  InvalidUploadError,
  MissingDocumentsError,
  type MissingDocument,
  type MissingDocumentProblem,
} from './errors.ts';
import { newSortableId } from './ids.ts';
import { listEvidence, markEvidenceUploaded, putEvidence, type EvidenceRecord } from './evidence-records.ts';
import { changeApplication, requireApplication, type ApplicationRecord } from './records.ts';
import { resolveEvidenceWait } from './waits.ts';

export interface UploadRequest {
  readonly documentType: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

export interface UploadTicket {
  readonly evidenceId: string;
  readonly upload: { readonly url: string; readonly fields: Record<string, string> };
  readonly expiresAt: string;
}

function requireAwaitingEvidence(record: ApplicationRecord, today: string): void {
  const { state } = record;
  if (state.status !== 'AWAITING_EVIDENCE') {
    throw new IllegalTransitionError(
      'WRONG_STATUS',
      `the application is ${state.status}, not awaiting evidence`,
      {
        status: state.status,
      },
    );
  }
  if (today > state.evidenceDueOn) {
    throw new IllegalTransitionError(
      'DEADLINE_PASSED',
      `evidence was due by the end of ${state.evidenceDueOn}`,
      {
        dueOn: state.evidenceDueOn,
      },
    );
  }
}

/**
 * POST /applications/{id}/evidence: checks the declared file against the document rules and
 * returns a presigned POST for it; the evidence item records the request (PENDING_UPLOAD).
 */
export async function requestEvidenceUpload(
  ports: Needs<'store' | 'evidence'>,
  applicationId: string,
  request: UploadRequest,
  principal: Principal,
  now: Date,
): Promise<UploadTicket> {
  const { store } = ports;
  const record = await requireApplication(store, applicationId);
  assertCanActFor(principal, record.state.enterpriseId);
  requireAwaitingEvidence(record, localDateIn(now));
  const check = validateDocumentUpload(request, policyOf(record.state), record.state.requiredDocuments);
  if (!check.ok) throw new InvalidUploadError(check.issues);
  const evidenceId = newSortableId(now);
  const upload = await ports.evidence.presignUpload({
    applicationId,
    evidenceId,
    fileName: request.fileName,
    contentType: check.contentType,
    limits: policyOf(record.state).evidence,
    now,
  });
  await putEvidence(store, applicationId, {
    evidenceId,
    documentType: check.documentType,
    fileName: request.fileName,
    contentType: check.contentType,
    size: request.size,
    s3Key: upload.key,
    requestedAt: now.toISOString(),
    round: record.state.round,
  });
  return { evidenceId, upload: { url: upload.url, fields: upload.fields }, expiresAt: upload.expiresAt };
}

/** What is wrong with a stored object as evidence, or null when it is usable. */
function objectProblem(
  object: Extract<EvidenceObject, { exists: true }>,
  policy: Policy,
): MissingDocumentProblem | null {
  if (object.size < 1) return 'EMPTY_FILE';
  if (object.size > policy.evidence.maxBytes) return 'FILE_TOO_LARGE';
  const type = normalizeContentType(object.contentType ?? '');
  if (!policy.evidence.allowedContentTypes.includes(type)) return 'CONTENT_TYPE_NOT_ALLOWED';
  return null;
}

/**
 * For each required document, the newest upload that is in the bucket and within the limits
 * (HeadObject: the local S3 does not enforce the POST policy), or why there is none.
 */
async function checkUploads(
  evidenceStore: EvidenceStore,
  required: readonly DocumentType[],
  evidence: readonly EvidenceRecord[],
  policy: Policy,
): Promise<{ chosen: Map<DocumentType, EvidenceRecord>; missing: MissingDocument[] }> {
  const chosen = new Map<DocumentType, EvidenceRecord>();
  const missing: MissingDocument[] = [];
  for (const documentType of required) {
    const candidates = evidence
      .filter((e) => e.documentType === documentType)
      .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : 0));
    let problem: MissingDocumentProblem | undefined;
    for (const candidate of candidates) {
      const object = await evidenceStore.head(candidate.s3Key);
      if (!object.exists) continue;
      const found = objectProblem(object, policy);
      if (found === null) {
        chosen.set(documentType, candidate);
        break;
      }
      problem ??= found;
    }
    if (!chosen.has(documentType)) missing.push({ documentType, problem: problem ?? 'NOT_UPLOADED' });
  }
  return { chosen, missing };
}

/** 422 RESPONSE_REQUIRED: a resubmission from round 2 needs a note of what changed (RULES.md §6.10). */
export class ResponseRequiredError extends DomainError {
  constructor(round: number) {
    super('RESPONSE_REQUIRED', `round ${round} needs a response to the change requests of the round before`, {
      round,
    });
    this.name = 'ResponseRequiredError';
  }
}

/**
 * POST /applications/{id}/evidence/submit: from round 2 a response to the change requests is
 * needed (checked first: ResponseRequiredError), then every required document must be in the
 * bucket within the limits (else MissingDocumentsError with the list). Records the uploads and the
 * submission with the response, then resumes the workflow's AwaitEvidence wait. Submitting again
 * while under review is a no-op.
 */
export async function submitEvidence(
  ports: Needs<'store' | 'clock' | 'evidence' | 'workflow'>,
  applicationId: string,
  principal: Principal,
  now: Date,
  input: { readonly response?: string | undefined } = {},
): Promise<ApplicationRecord> {
  const { store } = ports;
  const record = await requireApplication(store, applicationId);
  assertCanActFor(principal, record.state.enterpriseId);
  if (record.state.status === 'UNDER_REVIEW') return record;
  requireAwaitingEvidence(record, localDateIn(now));
  const response = input.response?.trim() ?? '';
  if (responseRequired(record.state) && response === '') throw new ResponseRequiredError(record.state.round);
  const { chosen, missing } = await checkUploads(
    ports.evidence,
    record.state.requiredDocuments,
    await listEvidence(store, applicationId),
    policyOf(record.state),
  );
  if (missing.length > 0) throw new MissingDocumentsError(missing);

  const at = now.toISOString();
  const actor = actorOf(principal);
  for (const [documentType, evidence] of chosen) {
    await markEvidenceUploaded(store, applicationId, evidence);
    await changeApplication(
      ports,
      applicationId,
      (state) =>
        state.evidence[documentType]?.evidenceId === evidence.evidenceId
          ? null
          : { type: 'EVIDENCE_UPLOADED', at, documentType, evidenceId: evidence.evidenceId },
      actor,
    );
  }
  const round = record.state.round;
  const { record: submitted } = await changeApplication(
    ports,
    applicationId,
    (state) =>
      state.status === 'UNDER_REVIEW' && state.round === round
        ? null
        : { type: 'EVIDENCE_SUBMITTED', at, ...(response === '' ? {} : { response }) },
    actor,
  );
  await resolveEvidenceWait(ports, applicationId, round, { submittedAt: at });
  return submitted;
}
