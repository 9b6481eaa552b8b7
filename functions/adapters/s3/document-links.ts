import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  DOCUMENT_LINK_EXPIRES_SECONDS,
  inlineDisposition,
  type DocumentLinkRequest,
} from '../../ports/evidence-store.ts';
import type { S3Bucket } from './objects.ts';

/** A presigned GET of one stored document (the port's `presignDocumentLink`). */
export async function presignDocumentLink(
  bucket: S3Bucket,
  request: DocumentLinkRequest,
): Promise<{ url: string; expiresAt: string }> {
  const command = new GetObjectCommand({
    Bucket: bucket.name(),
    Key: request.key,
    ResponseContentDisposition: inlineDisposition(request.fileName),
    ResponseContentType: request.contentType,
  });
  const url = await getSignedUrl(bucket.client(), command, { expiresIn: DOCUMENT_LINK_EXPIRES_SECONDS });
  return {
    url,
    expiresAt: new Date(request.now.getTime() + DOCUMENT_LINK_EXPIRES_SECONDS * 1000).toISOString(),
  };
}
