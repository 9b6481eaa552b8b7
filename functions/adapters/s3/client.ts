import { S3Client } from '@aws-sdk/client-s3';
import { sharedClient } from '../aws-clients.ts';

/**
 * The evidence bucket's client. The only endpoint-dependent choice is path-style addressing, which
 * an emulator on loopback needs (no virtual-host DNS for `<bucket>.127.0.0.1`).
 */
export const s3Client = sharedClient(
  () =>
    new S3Client({
      // Presigned POSTs and plain HEAD need no flexible checksums; sending them breaks emulators.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
    }),
);
