import { SIGNATURE_BYTES } from '../../../domain/documents.ts';
import {
  assertUploadable,
  DOCUMENT_LINK_EXPIRES_SECONDS,
  evidenceKey,
  uploadExpiresAt,
  type DocumentLinkRequest,
  type EvidenceObject,
  type EvidenceStore,
  type EvidenceUpload,
  type UploadRequest,
} from '../../ports/evidence-store.ts';

/** A file as a test hands it to the twin: its bytes and the Content-Type the upload form sent. */
export interface MemoryFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/**
 * The in-memory twin of the S3 evidence bucket. A presigned upload names its key and limits; a
 * test then stores a file under an issued key (upload), as the applicant's browser would, and the
 * limits are enforced as S3 enforces the POST policy.
 */
export class MemoryEvidenceStore implements EvidenceStore {
  readonly #objects = new Map<string, MemoryFile>();
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

  async inspect(key: string): Promise<EvidenceObject> {
    const object = this.#objects.get(key);
    return object === undefined
      ? { exists: false }
      : {
          exists: true,
          size: object.bytes.length,
          contentType: object.contentType,
          firstBytes: object.bytes.slice(0, SIGNATURE_BYTES),
        };
  }

  async freeze(from: string, to: string): Promise<boolean> {
    const object = this.#objects.get(from);
    if (object === undefined) return false;
    this.#objects.set(to, { bytes: object.bytes.slice(), contentType: object.contentType });
    return true;
  }

  async presignDocumentLink(request: DocumentLinkRequest): Promise<{ url: string; expiresAt: string }> {
    return {
      url: `memory://evidence/${request.key}`,
      expiresAt: new Date(request.now.getTime() + DOCUMENT_LINK_EXPIRES_SECONDS * 1000).toISOString(),
    };
  }

  /** The bytes under `key` (what a presigned GET of it would answer), or undefined. */
  bytesOf(key: string): Uint8Array | undefined {
    return this.#objects.get(key)?.bytes;
  }

  /** Stores a file under a key a presigned upload issued; refused as S3 refuses a POST outside its policy. */
  upload(key: string, file: MemoryFile): void {
    const issued = this.#issued.get(key);
    if (issued === undefined) throw new Error(`no upload was presigned for ${key}`);
    const size = file.bytes.length;
    if (file.contentType !== issued.contentType || size < 1 || size > issued.maxBytes) {
      throw new Error(`the POST policy of ${key} refuses this file`);
    }
    this.#objects.set(key, { bytes: file.bytes.slice(), contentType: file.contentType });
  }

  /** Stores an object as it is, past any policy (what an emulator without policy checks would do). */
  place(key: string, file: MemoryFile): void {
    this.#objects.set(key, { bytes: file.bytes.slice(), contentType: file.contentType });
  }
}
