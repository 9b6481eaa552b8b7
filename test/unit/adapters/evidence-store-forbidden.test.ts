import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetAwsClients } from '../../../functions/adapters/aws-clients.ts';
import { S3EvidenceStore } from '../../../functions/adapters/s3/evidence-store.ts';

const evidence = new S3EvidenceStore({ bucket: 'evidence' });
import { useAwsEnv } from '../../support/aws-env.ts';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../support/recording-endpoint.ts';

/**
 * S3 answers GetObject (and CopyObject) of a missing key with 403, not 404, to a caller without s3:ListBucket
 * (docs/FACTS: the deployed functions have none, by design). s3rver always answers 404, so the
 * answer AWS gives is scripted here on the wire: the real SDK client signs, sends and parses it.
 */

let endpoint: RecordingEndpoint;
let restoreEnv: () => void;

beforeAll(async () => {
  endpoint = await startRecordingEndpoint();
  restoreEnv = useAwsEnv({
    AWS_ENDPOINT_URL_S3: endpoint.url,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_MAX_ATTEMPTS: '1',
    EVIDENCE_BUCKET: 'evidence',
  });
  resetAwsClients();
});

afterAll(async () => {
  restoreEnv();
  resetAwsClients();
  await endpoint.stop();
});

const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
const NO_SUCH_KEY =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';

describe('reading and freezing an evidence key on AWS', () => {
  it('reads a 403 without ListBucket as "not uploaded yet", as s3rver\'s 404', async () => {
    endpoint.reply(() => ({ status: 403, body: ACCESS_DENIED }));
    await expect(evidence.inspect('applications/APP1/EV1/proof.pdf')).resolves.toEqual({ exists: false });
    expect(endpoint.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/evidence/applications/APP1/EV1/proof.pdf?x-id=GetObject',
    });
    endpoint.reply(() => ({ status: 404, body: NO_SUCH_KEY }));
    await expect(evidence.inspect('applications/APP1/EV1/proof.pdf')).resolves.toEqual({ exists: false });
  });

  it('freezes nothing from a key that holds nothing (403 or 404), and says so', async () => {
    endpoint.reply(() => ({ status: 403, body: ACCESS_DENIED }));
    await expect(
      evidence.freeze('applications/APP1/EV1/proof.pdf', 'frozen/APP1/EV1/proof.pdf'),
    ).resolves.toBe(false);
    expect(endpoint.requests.at(-1)).toMatchObject({ method: 'PUT' });
    endpoint.reply(() => ({ status: 404, body: NO_SUCH_KEY }));
    await expect(
      evidence.freeze('applications/APP1/EV1/proof.pdf', 'frozen/APP1/EV1/proof.pdf'),
    ).resolves.toBe(false);
  });

  it('still fails on what is not about the key: a server error', async () => {
    endpoint.reply(() => ({ status: 503, body: '' }));
    await expect(evidence.inspect('applications/APP1/EV1/proof.pdf')).rejects.toThrow();
  });
});
