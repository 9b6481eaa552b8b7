import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  assertUploadable,
  evidenceKey,
  UPLOAD_EXPIRES_SECONDS,
  uploadExpiresAt,
  type EvidenceObject,
  type EvidenceStore,
  type EvidenceUpload,
  type UploadRequest,
} from '../../ports/evidence-store.ts';
import { s3Client } from './client.ts';

/** The evidence store on an S3 bucket (s3rver on this machine). */
export class S3EvidenceStore implements EvidenceStore {
  readonly #bucket: () => string;
  readonly #client: () => S3Client;

  /** The bucket is named when a call needs it (`bucket` may read the environment then). */
  constructor(options: { readonly bucket: string | (() => string); readonly client?: () => S3Client }) {
    const bucket = options.bucket;
    this.#bucket = typeof bucket === 'string' ? () => bucket : bucket;
    this.#client = options.client ?? s3Client;
  }

  async presignUpload(request: UploadRequest): Promise<EvidenceUpload> {
    assertUploadable(request);
    const key = evidenceKey(request.applicationId, request.evidenceId, request.fileName);
    const { url, fields } = await createPresignedPost(this.#client(), {
      Bucket: this.#bucket(),
      Key: key,
      Conditions: [
        ['eq', '$Content-Type', request.contentType],
        ['content-length-range', 1, request.limits.maxBytes],
      ],
      Fields: { 'Content-Type': request.contentType },
      Expires: UPLOAD_EXPIRES_SECONDS,
    });
    // The signature's expiry follows the system clock; the reported one is for the client to plan by.
    return { key, url, fields, expiresAt: uploadExpiresAt(request.now) };
  }

  /**
   * S3 answers a missing key with 404 only to a caller that may list the bucket; to any other it
   * answers 403 (and a HEAD answer has no body to tell the two apart: the SDK calls it Unknown).
   * The functions may not list the bucket, on purpose: s3:ListBucket cannot be narrowed to a prefix
   * for this check, and would let them enumerate every application's keys. So a 403 here means "not
   * uploaded yet", exactly as s3rver's 404 does. Their s3:GetObject on the key prefix is pinned by
   * the template tests, so a 403 on an object that exists cannot come from a missing grant there.
   */
  async head(key: string): Promise<EvidenceObject> {
    try {
      const out = await this.#client().send(new HeadObjectCommand({ Bucket: this.#bucket(), Key: key }));
      return { exists: true, size: out.ContentLength ?? 0, contentType: out.ContentType };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (
        error instanceof Error &&
        (error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404 || status === 403)
      ) {
        return { exists: false };
      }
      throw error;
    }
  }
}
