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
});
