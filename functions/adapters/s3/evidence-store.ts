import type { S3Client } from '@aws-sdk/client-s3';
import type {
  DocumentLinkRequest,
  EvidenceObject,
  EvidenceStore,
  EvidenceUpload,
  UploadRequest,
} from '../../ports/evidence-store.ts';
import { presignDocumentLink } from './document-links.ts';
import { freeze, inspect, s3Bucket, type S3Bucket } from './objects.ts';
import { presignUpload } from './uploads.ts';

/** The whole evidence store on an S3 bucket (s3rver on this machine). */
export class S3EvidenceStore implements EvidenceStore {
  readonly #bucket: S3Bucket;

  constructor(options: { readonly bucket: string | (() => string); readonly client?: () => S3Client }) {
    this.#bucket = s3Bucket(options.bucket, options.client);
  }

  presignUpload(request: UploadRequest): Promise<EvidenceUpload> {
    return presignUpload(this.#bucket, request);
  }

  inspect(key: string): Promise<EvidenceObject> {
    return inspect(this.#bucket, key);
  }

  freeze(from: string, to: string): Promise<boolean> {
    return freeze(this.#bucket, from, to);
  }

  presignDocumentLink(request: DocumentLinkRequest): Promise<{ url: string; expiresAt: string }> {
    return presignDocumentLink(this.#bucket, request);
  }
}
