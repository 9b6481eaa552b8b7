import type { EvidenceStatus } from '../../../domain/documents.ts';
import type { DocumentType } from '../../../domain/vocabulary.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { applicationPartition, keys, prefixes } from '../../ports/store/keys.ts';
import type { Store, StoredItem, StoreReader, StoreWriter } from '../../ports/store/store.ts';

/**
 * Evidence items, `EVIDENCE#<evidenceId>` in the application's partition: a requested upload
 * (PENDING_UPLOAD) and, once frozen and verified at submission, UPLOADED with the key of the
 * frozen copy reviewers open. Items stored before evidence was frozen have no `frozenKey`: an
 * UPLOADED one of those was checked at its submission and is served from its upload key.
 *
 * INVALID is never stored: the application view shows it for an upload whose stored file breaks
 * the declaration (a refused submission changes nothing).
 */

export type { EvidenceStatus };
export type StoredEvidenceStatus = Exclude<EvidenceStatus, 'INVALID'>;

export interface EvidenceRecord {
  readonly evidenceId: string;
  readonly documentType: DocumentType;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly s3Key: string;
  /** The verified copy reviewers open, pinned at the submission that verified it. */
  readonly frozenKey?: string;
  readonly status: StoredEvidenceStatus;
  readonly requestedAt: string;
  readonly round: number;
  readonly version: number;
}

type EvidenceItem = StoredItem & Omit<EvidenceRecord, 'version'> & { version: number };

export const isEvidenceItem = (item: StoredItem): boolean => item.sk.startsWith(prefixes.evidence());

export const evidenceOf = (item: StoredItem): EvidenceRecord => {
  const evidence = item as EvidenceItem;
  return {
    evidenceId: evidence.evidenceId,
    documentType: evidence.documentType,
    fileName: evidence.fileName,
    contentType: evidence.contentType,
    size: evidence.size,
    s3Key: evidence.s3Key,
    ...(typeof evidence.frozenKey === 'string' ? { frozenKey: evidence.frozenKey } : {}),
    status: evidence.status,
    requestedAt: evidence.requestedAt,
    round: evidence.round,
    version: evidence.version,
  };
};

export async function putEvidence(
  store: StoreWriter,
  applicationId: string,
  evidence: Omit<EvidenceRecord, 'version' | 'status' | 'frozenKey'>,
): Promise<EvidenceRecord> {
  const item = await store.putNew<EvidenceItem>({
    ...keys.evidence(applicationId, evidence.evidenceId),
    ...evidence,
    status: 'PENDING_UPLOAD',
  } as EvidenceItem);
  return evidenceOf(item);
}

export async function listEvidence(store: StoreReader, applicationId: string): Promise<EvidenceRecord[]> {
  const items = await store.queryAll({
    partition: applicationPartition(applicationId),
    sortKey: { beginsWith: prefixes.evidence() },
    consistent: true,
  });
  return items.map(evidenceOf);
}

/** Marks an upload as verified, with the frozen copy reviewers open; a no-op when it already is. */
export async function markEvidenceFrozen(
  store: Store,
  applicationId: string,
  evidence: EvidenceRecord,
  frozenKey: string,
): Promise<void> {
  if (evidence.status === 'UPLOADED' && evidence.frozenKey === frozenKey) return;
  try {
    await store.updateVersioned(keys.evidence(applicationId, evidence.evidenceId), evidence.version, {
      status: 'UPLOADED',
      frozenKey,
    });
  } catch (error) {
    // A concurrent submission froze the same upload to the same key first; theirs is as good.
    if (!(error instanceof ConflictError && error.kind === 'VERSION_MISMATCH')) throw error;
  }
}

/** One evidence item by id, or undefined. */
export async function findEvidence(
  store: StoreReader,
  applicationId: string,
  evidenceId: string,
): Promise<EvidenceRecord | undefined> {
  const item = await store.get(keys.evidence(applicationId, evidenceId));
  return item === undefined ? undefined : evidenceOf(item);
}
