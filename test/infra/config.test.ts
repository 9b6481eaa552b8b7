import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_DOMAIN, readDeployConfig } from '../../infra/config.ts';

const configWith = (context: Record<string, unknown>) => readDeployConfig(new App({ context }).node);

describe('deployment context', () => {
  it('has a default for every parameter, so synth works offline with none', () => {
    const config = configWith({});
    expect(config).toMatchObject({
      prefix: 'credit-repair',
      senderDomain: DEFAULT_SENDER_DOMAIN,
      senderEmail: `no-reply@${DEFAULT_SENDER_DOMAIN}`,
      apiThrottle: { rateLimit: 50, burstLimit: 100 },
    });
    expect(config.jwt).toBeUndefined();
    expect(config.reviewBaseUrl).toBeUndefined();
    expect(config.alarmEmail).toBeUndefined();
  });

  it('reads an OIDC issuer with its audiences, and refuses one without the other', () => {
    expect(configWith({ jwtIssuer: 'https://id.example.gov', jwtAudience: 'a, b' }).jwt).toEqual({
      issuer: 'https://id.example.gov',
      audience: ['a', 'b'],
    });
    expect(() => configWith({ jwtIssuer: 'https://id.example.gov' })).toThrow(/both/);
  });

  it('refuses a sender outside the verified domain and malformed values', () => {
    expect(() => configWith({ senderDomain: 'a.example', senderEmail: 'x@b.example' })).toThrow(/a\.example/);
    expect(() => configWith({ alarmEmail: 'nobody' })).toThrow(/alarmEmail/);
    expect(() => configWith({ reviewBaseUrl: 'http://plain.example' })).toThrow(/https/);
    expect(() => configWith({ apiRateLimit: '0' })).toThrow(/apiRateLimit/);
  });

  it('names the partition from context or from a China target region, and refuses contradictions', () => {
    const china = { jwtIssuer: 'https://id.customs.example.cn', jwtAudience: 'credit-repair' };
    expect(readDeployConfig(new App({ context: {} }).node, 'ap-southeast-1')).toMatchObject({
      partition: 'aws',
      region: 'ap-southeast-1',
      mail: { transport: 'ses', createIdentity: true },
    });
    expect(readDeployConfig(new App({ context: china }).node, 'cn-north-1')).toMatchObject({
      partition: 'aws-cn',
      region: 'cn-north-1',
      mail: { transport: 'smtp' },
    });
    // The CLI targets us-east-1 when nothing is configured: the China profile then stays region-agnostic.
    const agnostic = readDeployConfig(
      new App({ context: { ...china, partition: 'aws-cn' } }).node,
      'us-east-1',
    );
    expect(agnostic.partition).toBe('aws-cn');
    expect(agnostic.region).toBeUndefined();
    expect(() => readDeployConfig(new App({ context: { partition: 'aws' } }).node, 'cn-north-1')).toThrow(
      /cn-north-1/,
    );
    expect(() => configWith({ partition: 'aws-cn' })).toThrow(/OIDC issuer/);
    expect(() => configWith({ partition: 'gov' })).toThrow(/aws or aws-cn/);
  });

  it('takes web origins (or the older evidenceUploadOrigins) and checks prefixes and callbacks', () => {
    expect(configWith({ webOrigins: 'https://a.example, https://b.example' }).webOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(configWith({ evidenceUploadOrigins: 'https://old.example' }).webOrigins).toEqual([
      'https://old.example',
    ]);
    expect(configWith({}).webOrigins).toEqual(['*']);
    expect(() => configWith({ webOrigins: 'https://a.example/path' })).toThrow(/webOrigins/);
    expect(configWith({ prefix: 'pilot-2' }).prefix).toBe('pilot-2');
    for (const bad of ['Pilot', 'pilot_2', '-pilot', 'pilot-', 'a'.repeat(25)]) {
      expect(() => configWith({ prefix: bad }), bad).toThrow(/prefix/);
    }
    expect(() => configWith({ oauthCallbackUrls: 'http://plain.example/cb' })).toThrow(/https/);
    expect(configWith({ sesIdentity: 'existing' }).mail).toEqual({ transport: 'ses', createIdentity: false });
  });
});
