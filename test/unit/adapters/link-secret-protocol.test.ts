import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_SECRET_ARN_ENV } from '../../../functions/composition/environment.ts';
import { linkSecret } from '../../../functions/composition/link-secret.ts';
import { hashLinkId, hashLinkIdWith, newLinkId } from '../../../functions/usecases/reviews/link-ids.ts';
import { useAwsEnv } from '../../support/aws-env.ts';
import { startRecordingEndpoint, type RecordingEndpoint } from '../../support/recording-endpoint.ts';

/**
 * The link secret through the real Secrets Manager JSON protocol: the SDK client signs and sends
 * GetSecretValue to a loopback endpoint reached only through
 * AWS_ENDPOINT_URL_SECRETS_MANAGER.
 */

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:credit-repair/review-link-secret-AbCdEf';

describe('the link secret over the Secrets Manager protocol', () => {
  let endpoint: RecordingEndpoint;
  let restoreEnv: () => void;

  beforeAll(async () => {
    endpoint = await startRecordingEndpoint();
    endpoint.reply(() => ({
      status: 200,
      contentType: 'application/x-amz-json-1.1',
      body: { ARN, Name: 'credit-repair/review-link-secret', SecretString: 'wire-secret', VersionId: 'v1' },
    }));
    restoreEnv = useAwsEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint.url, [LINK_SECRET_ARN_ENV]: ARN });
  });

  afterAll(async () => {
    restoreEnv();
    await endpoint.stop();
  });

  it('asks for the secret the ARN names once, and keys every hash with it', async () => {
    const a = newLinkId();
    const b = newLinkId();
    expect(await hashLinkId(a, linkSecret())).toBe(hashLinkIdWith(a, 'wire-secret'));
    expect(await hashLinkId(b, linkSecret())).toBe(hashLinkIdWith(b, 'wire-secret'));

    expect(endpoint.requests).toHaveLength(1);
    const [request] = endpoint.requests;
    expect(request?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ SecretId: ARN });
  });
});
