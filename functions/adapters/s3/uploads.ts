import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  assertUploadable,
  evidenceKey,
  UPLOAD_EXPIRES_SECONDS,
  uploadExpiresAt,
  type EvidenceUpload,
  type UploadRequest,
} from '../../ports/evidence-store.ts';
import type { S3Bucket } from './objects.ts';

/** A presigned POST for one evidence file (the port's `presignUpload`). */
export async function presignUpload(bucket: S3Bucket, request: UploadRequest): Promise<EvidenceUpload> {
  assertUploadable(request);
  const key = evidenceKey(request.applicationId, request.evidenceId, request.fileName);
  const { url, fields } = await createPresignedPost(bucket.client(), {
    Bucket: bucket.name(),
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
