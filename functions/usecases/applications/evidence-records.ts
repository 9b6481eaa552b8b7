import type { DocumentType } from '../../../domain/vocabulary.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { applicationPartition, keys, prefixes } from '../../ports/store/keys.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';

/**
 * Evidence items, `EVIDENCE#<evidenceId>` in the application's partition: a requested upload
 * (PENDING_UPLOAD) and, once checked present in storage at submission, UPLOADED.
 */

export const EVIDENCE_STATUSES = ['PENDING_UPLOAD', 'UPLOADED'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export interface EvidenceRecord {
  readonly evidenceId: string;
  readonly documentType: DocumentType;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly s3Key: string;
  readonly status: EvidenceStatus;
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
    status: evidence.status,
    requestedAt: evidence.requestedAt,
    round: evidence.round,
    version: evidence.version,
  };
};

export async function putEvidence(
  store: Store,
  applicationId: string,
  evidence: Omit<EvidenceRecord, 'version' | 'status'>,
): Promise<EvidenceRecord> {
  const item = await store.putNew<EvidenceItem>({
    ...keys.evidence(applicationId, evidence.evidenceId),
    ...evidence,
    status: 'PENDING_UPLOAD',
  } as EvidenceItem);
  return evidenceOf(item);
}

export async function listEvidence(store: Store, applicationId: string): Promise<EvidenceRecord[]> {
  const items = await store.queryAll({
    partition: applicationPartition(applicationId),
    sortKey: { beginsWith: prefixes.evidence() },
    consistent: true,
  });
  return items.map(evidenceOf);
}

/** Marks an upload as checked present; a no-op when it already is. */
export async function markEvidenceUploaded(
  store: Store,
  applicationId: string,
  evidence: EvidenceRecord,
): Promise<void> {
  if (evidence.status === 'UPLOADED') return;
  try {
    await store.updateVersioned(keys.evidence(applicationId, evidence.evidenceId), evidence.version, {
      status: 'UPLOADED',
    });
  } catch (error) {
    // Someone else marked it first; the mark carries no decision, so theirs is as good.
    if (!(error instanceof ConflictError && error.kind === 'VERSION_MISMATCH')) throw error;
  }
}
