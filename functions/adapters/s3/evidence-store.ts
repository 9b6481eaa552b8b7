import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SIGNATURE_BYTES } from '../../../domain/documents.ts';
import {
  assertUploadable,
  DOCUMENT_LINK_EXPIRES_SECONDS,
  evidenceKey,
  inlineDisposition,
  UPLOAD_EXPIRES_SECONDS,
  uploadExpiresAt,
  type DocumentLinkRequest,
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
   *
   * One ranged GET reads the size (from Content-Range), the stored type and the first bytes.
   */
  async inspect(key: string): Promise<EvidenceObject> {
    try {
      const out = await this.#client().send(
        new GetObjectCommand({ Bucket: this.#bucket(), Key: key, Range: `bytes=0-${SIGNATURE_BYTES - 1}` }),
      );
      const firstBytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
      const size = total === undefined ? (out.ContentLength ?? firstBytes.length) : Number(total);
      return { exists: true, size, contentType: out.ContentType, firstBytes };
    } catch (error) {
      if (isMissing(error)) return { exists: false };
      // An empty object has no byte 0 to range over (416): its HEAD tells the rest.
      if (statusOf(error) === 416) return this.#head(key);
      throw error;
    }
  }

  async #head(key: string): Promise<EvidenceObject> {
    try {
      const out = await this.#client().send(new HeadObjectCommand({ Bucket: this.#bucket(), Key: key }));
      return {
        exists: true,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType,
        firstBytes: new Uint8Array(),
      };
    } catch (error) {
      if (isMissing(error)) return { exists: false };
      throw error;
    }
  }

  async freeze(from: string, to: string): Promise<boolean> {
    const bucket = this.#bucket();
    try {
      await this.#client().send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: to,
          CopySource: `${bucket}/${from}`,
          MetadataDirective: 'COPY',
        }),
      );
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async presignDocumentLink(request: DocumentLinkRequest): Promise<{ url: string; expiresAt: string }> {
    const command = new GetObjectCommand({
      Bucket: this.#bucket(),
      Key: request.key,
      ResponseContentDisposition: inlineDisposition(request.fileName),
      ResponseContentType: request.contentType,
    });
    const url = await getSignedUrl(this.#client(), command, { expiresIn: DOCUMENT_LINK_EXPIRES_SECONDS });
    return {
      url,
      expiresAt: new Date(request.now.getTime() + DOCUMENT_LINK_EXPIRES_SECONDS * 1000).toISOString(),
    };
  }
}

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** Nothing under the key: 404 (NoSuchKey) to a caller that may list the bucket, 403 to any other. */
function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = statusOf(error);
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404 || status === 403;
}
