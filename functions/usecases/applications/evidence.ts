import { localDateIn } from '../../../domain/dates.ts';
import { validateDocumentUpload, verifyStoredDocument } from '../../../domain/documents.ts';
import { DomainError, IllegalTransitionError } from '../../../domain/errors.ts';
import { policyOf, responseRequired, type ApplicationEvent } from '../../../domain/lifecycle.ts';
import type { Policy } from '../../../domain/policy.ts';
import type { DocumentType } from '../../../domain/vocabulary.ts';
import { actorOf, type Principal } from '../../auth/principal.ts';
import { assertOwnApplication } from './access.ts';
import {
  frozenKey,
  UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND,
  type EvidenceObject,
  type EvidenceStore,
  type EvidenceUploads,
} from '../../ports/evidence-store.ts';
import type { Needs } from '../../ports/ports.ts';
import type { StoreWriter } from '../../ports/store/store.ts';
import { logger } from '../../observability/logger.ts';
import {
  ApplicationNotFoundError,
  EvidenceInvalidError,
  InvalidUploadError,
  MissingDocumentsError,
  TooManyUploadsError,
  type InvalidDocument,
  type MissingDocument,
} from './errors.ts';
import { newSortableId } from './ids.ts';
import { listEvidence, markEvidenceFrozen, putEvidence, type EvidenceRecord } from './evidence-records.ts';
import {
  changeApplication,
  loadApplicationWithTimeline,
  repairOutbox,
  requireApplication,
  type ApplicationRecord,
} from './records.ts';
import { resolveEvidenceWait } from './waits.ts';
import { reached } from '../../observability/crash-points.ts';

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
  ports: { readonly store: StoreWriter; readonly evidence: EvidenceUploads },
  applicationId: string,
  request: UploadRequest,
  principal: Principal,
  now: Date,
): Promise<UploadTicket> {
  const { store } = ports;
  const record = await requireApplication(store, applicationId);
  assertOwnApplication(principal, record.state);
  requireAwaitingEvidence(record, localDateIn(now));
  const check = validateDocumentUpload(request, policyOf(record.state), record.state.requiredDocuments);
  if (!check.ok) throw new InvalidUploadError(check.issues);
  const round = record.state.round;
  const tickets = (await listEvidence(store, applicationId)).filter(
    (e) => e.documentType === check.documentType && e.round === round,
  );
  if (tickets.length >= UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND) {
    throw new TooManyUploadsError(check.documentType, UPLOAD_TICKETS_PER_DOCUMENT_PER_ROUND);
  }
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

/** The uploads of one document type, newest first. */
const newestFirst = (evidence: readonly EvidenceRecord[], documentType: DocumentType): EvidenceRecord[] =>
  evidence
    .filter((e) => e.documentType === documentType)
    .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : 0));

/** The document a submission pins for one type: the upload and its frozen, verified copy. */
interface FrozenDocument {
  readonly evidence: EvidenceRecord;
  readonly frozenKey: string;
}

/**
 * Copies one upload under the frozen prefix and says what the copy is; a failure to read the
 * upload is UNREADABLE rather than the whole submit's. A torn or damaged object (or an outage
 * outlasting the SDK's retries) must not answer every later submit with a 5xx: the upload counts as
 * unusable, an older one may still serve, and the applicant can upload the document again.
 */
async function freezeAndInspect(
  evidenceStore: EvidenceStore,
  candidate: EvidenceRecord,
  key: string,
): Promise<EvidenceObject | 'UNREADABLE'> {
  try {
    if (!(await evidenceStore.freeze(candidate.s3Key, key))) return { exists: false };
    return await evidenceStore.inspect(key);
  } catch (error) {
    logger.warn('an evidence upload could not be read', { evidenceId: candidate.evidenceId, error });
    return 'UNREADABLE';
  }
}

/**
 * Freezes and verifies the submission's documents. For each required type the newest upload that
 * holds a file decides: one frozen at an earlier submission carries over as it was verified; a
 * new one is first copied under the frozen prefix and the *copy* is verified (size, type, first
 * bytes), so a file POSTed to the upload key during or after this check changes nothing. A type
 * with no file at all is missing; a file that breaks its declaration is invalid (never silently
 * replaced by an older upload: the newest is what the applicant meant).
 */
async function freezeUploads(
  evidenceStore: EvidenceStore,
  applicationId: string,
  required: readonly DocumentType[],
  evidence: readonly EvidenceRecord[],
  policy: Policy,
): Promise<{
  frozen: Map<DocumentType, FrozenDocument>;
  missing: MissingDocument[];
  invalid: InvalidDocument[];
}> {
  type Verdict =
    | { readonly frozen: FrozenDocument }
    | { readonly missing: MissingDocument }
    | { readonly invalid: InvalidDocument };
  // Each type's own candidates are tried in turn (an older upload serves only when the newer
  // fails); the types are independent, so their copies and checks run at once (a handful of
  // documents: the policy's required list bounds the concurrency).
  const verdictOf = async (documentType: DocumentType): Promise<Verdict> => {
    let unreadable = false;
    for (const candidate of newestFirst(evidence, documentType)) {
      if (candidate.frozenKey !== undefined) {
        return { frozen: { evidence: candidate, frozenKey: candidate.frozenKey } };
      }
      const key = frozenKey(applicationId, candidate.evidenceId, candidate.fileName);
      const copy = await freezeAndInspect(evidenceStore, candidate, key);
      if (copy === 'UNREADABLE') {
        unreadable = true;
        continue;
      }
      if (!copy.exists) continue;
      const problem = verifyStoredDocument(candidate, copy, policy);
      if (problem === null) return { frozen: { evidence: candidate, frozenKey: key } };
      return {
        invalid: {
          documentType,
          evidenceId: candidate.evidenceId,
          fileName: candidate.fileName,
          problem,
          declared: { size: candidate.size, contentType: candidate.contentType },
          stored: {
            size: copy.size,
            ...(copy.contentType === undefined ? {} : { contentType: copy.contentType }),
          },
        },
      };
    }
    return { missing: { documentType, problem: unreadable ? 'UNREADABLE' : 'NOT_UPLOADED' } };
  };
  const verdicts = await Promise.all(required.map(verdictOf));
  const frozen = new Map<DocumentType, FrozenDocument>();
  const missing: MissingDocument[] = [];
  const invalid: InvalidDocument[] = [];
  required.forEach((documentType, i) => {
    const verdict = verdicts[i];
    if (verdict === undefined) return;
    if ('frozen' in verdict) frozen.set(documentType, verdict.frozen);
    else if ('missing' in verdict) missing.push(verdict.missing);
    else invalid.push(verdict.invalid);
  });
  return { frozen, missing, invalid };
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
 * needed (checked first: ResponseRequiredError), then every required document must have a file
 * (else MissingDocumentsError with the list), then every file must be what was declared (else
 * EvidenceInvalidError, one entry per document). Records the frozen documents (this round's
 * snapshot) and the submission with the response, then resumes the workflow's AwaitEvidence wait.
 * Submitting again while under review is a no-op.
 */
export function submitEvidence(
  ports: Needs<'store' | 'clock' | 'evidence' | 'workflow'>,
  applicationId: string,
  principal: Principal,
  now: Date,
  input: { readonly response?: string | undefined } = {},
): Promise<ApplicationRecord> {
  return submitEvidenceAndRead(ports, applicationId, principal, now, input, (record) =>
    Promise.resolve(record),
  );
}

/**
 * Submits as submitEvidence does, and answers what `read` makes of the submitted record; `read`
 * runs beside the wait's resumption, so a route's answer costs no round trip of its own.
 */
export async function submitEvidenceAndRead<T>(
  ports: Needs<'store' | 'clock' | 'evidence' | 'workflow'>,
  applicationId: string,
  principal: Principal,
  now: Date,
  input: { readonly response?: string | undefined },
  read: (record: ApplicationRecord) => Promise<T>,
): Promise<T> {
  const { store } = ports;
  // The application, its uploads and its stored timeline: one Query.
  const loaded = await loadApplicationWithTimeline(store, applicationId);
  if (loaded === undefined) throw new ApplicationNotFoundError(applicationId);
  const { record } = loaded;
  assertOwnApplication(principal, record.state);
  if (record.state.status === 'UNDER_REVIEW') return read(record);
  requireAwaitingEvidence(record, localDateIn(now));
  const response = input.response?.trim() ?? '';
  if (responseRequired(record.state) && response === '') throw new ResponseRequiredError(record.state.round);
  const round = record.state.round;
  // The repair of the outbox entries not yet on the timeline (none, unless a crash left some) goes
  // ahead while the uploads are copied. (The wait's task token comes with the state write, never
  // from a read before it: a restarted execution may store a new token until then.)
  const repaired = ahead(repairOutbox(store, applicationId, record, loaded.timeline));
  const { frozen, missing, invalid } = await freezeUploads(
    ports.evidence,
    applicationId,
    record.state.requiredDocuments,
    loaded.evidence,
    policyOf(record.state),
  );
  if (missing.length > 0) throw new MissingDocumentsError(missing);
  if (invalid.length > 0) throw new EvidenceInvalidError(invalid);
  await repaired;

  const at = now.toISOString();
  const actor = actorOf(principal);
  // Every evidence item is marked before the application records any of them (a reviewer must
  // never find an application pointing at an unfrozen upload); the items are independent.
  await Promise.all(
    [...frozen.values()].map(({ evidence: upload, frozenKey: key }) =>
      markEvidenceFrozen(store, applicationId, upload, key),
    ),
  );
  // One write records each pinned document that is new to the state, then the submission: one
  // change (and one timeline entry) each, as if written in turn, so nothing can come between them.
  const {
    record: submitted,
    appended,
    waitTokens,
  } = await changeApplication(
    ports,
    applicationId,
    (state): ApplicationEvent[] => {
      if (state.status === 'UNDER_REVIEW' && state.round === round) return [];
      const uploads = [...frozen]
        .filter(
          ([documentType, { evidence: upload }]) =>
            state.evidence[documentType]?.evidenceId !== upload.evidenceId,
        )
        .map(([documentType, { evidence: upload }]): ApplicationEvent => ({
          type: 'EVIDENCE_UPLOADED',
          at,
          documentType,
          evidenceId: upload.evidenceId,
        }));
      return [...uploads, { type: 'EVIDENCE_SUBMITTED', at, ...(response === '' ? {} : { response }) }];
    },
    actor,
    { from: record, deferAppend: true },
  );
  reached('evidence.submitted');
  // The wait's resumption (with the token the write returned) and the answer's read change
  // nothing of the application: they go beside the append of the write's entries.
  const [answer] = await Promise.all([
    read(submitted),
    appended,
    resolveEvidenceWait(ports, applicationId, round, { submittedAt: at }, waitTokens),
  ]);
  return answer;
}

/** A promise whose rejection is handled where it is awaited, not reported as unhandled meanwhile. */
function ahead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
