import {
  assertUploadable,
  evidenceKey,
  uploadExpiresAt,
  type EvidenceObject,
  type EvidenceStore,
  type EvidenceUpload,
  type UploadRequest,
} from '../../ports/evidence-store.ts';

/**
 * The in-memory twin of the S3 evidence bucket. A presigned upload names its key and limits; a
 * test then stores a file under an issued key (upload), as the applicant's browser would, and the
 * limits are enforced as S3 enforces the POST policy.
 */
export class MemoryEvidenceStore implements EvidenceStore {
  readonly #objects = new Map<string, { size: number; contentType: string }>();
  readonly #issued = new Map<string, { contentType: string; maxBytes: number }>();

  async presignUpload(request: UploadRequest): Promise<EvidenceUpload> {
    assertUploadable(request);
    const key = evidenceKey(request.applicationId, request.evidenceId, request.fileName);
    this.#issued.set(key, { contentType: request.contentType, maxBytes: request.limits.maxBytes });
    return {
      key,
      url: 'memory://evidence',
      fields: { key, 'Content-Type': request.contentType },
      expiresAt: uploadExpiresAt(request.now),
    };
  }

  async head(key: string): Promise<EvidenceObject> {
    const object = this.#objects.get(key);
    return object === undefined ? { exists: false } : { exists: true, ...object };
  }

  /** Stores a file under a key a presigned upload issued; refused as S3 refuses a POST outside its policy. */
  upload(key: string, file: { readonly size: number; readonly contentType: string }): void {
    const issued = this.#issued.get(key);
    if (issued === undefined) throw new Error(`no upload was presigned for ${key}`);
    if (file.contentType !== issued.contentType || file.size < 1 || file.size > issued.maxBytes) {
      throw new Error(`the POST policy of ${key} refuses this file`);
    }
    this.#objects.set(key, { ...file });
  }

  /** Stores an object as it is, past any policy (the embedded S3 does not enforce POST policies). */
  place(key: string, file: { readonly size: number; readonly contentType: string }): void {
    this.#objects.set(key, { ...file });
  }
}
