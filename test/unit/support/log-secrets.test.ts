import { describe, expect, it } from 'vitest';
import { bannerTokens, findSecrets, SecretCollector, splitBanner } from '../../support/log-secrets.ts';
import { ProcessLog } from '../../support/npm-start.ts';

/**
 * The log-hygiene search itself: it must find what it is given and the shapes of what it was not
 * given, mask what it reports, and tell the start banner (which may print dev tokens) from the rest.
 */

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJyb2xlIjoib2ZmaWNlciJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const LINK_ID = 'k3J9xQ2mZp7LwR4tYv8NbA';

describe('findSecrets', () => {
  it('finds every collected secret, masked, and nothing in clean text', () => {
    const secrets = new SecretCollector();
    secrets.add('nonce', 'n0nce-value-1234567890');
    secrets.addReviewLink(`http://127.0.0.1:3000/review/${LINK_ID}`);
    secrets.addPresignedFields({ 'X-Amz-Signature': 'a'.repeat(64), Policy: 'eyJleHBpcmF0aW9uIjoiMjAyNyJ9' });
    const text = [
      '{"level":"INFO","message":"sweep finished"}',
      `decided with n0nce-value-1234567890 for ${LINK_ID}`,
      `policy eyJleHBpcmF0aW9uIjoiMjAyNyJ9 signed ${'a'.repeat(64)}`,
    ].join('\n');
    const findings = findSecrets(text, secrets);
    expect(findings.map((f) => f.kind).sort()).toEqual([
      'nonce',
      'presigned-policy',
      'presigned-signature',
      'review-link-id',
    ]);
    for (const finding of findings) {
      expect(finding.line).not.toContain('n0nce-value-1234567890');
      expect(finding.line).not.toContain(LINK_ID);
    }
    expect(findSecrets('{"level":"INFO","message":"sweep finished"}', secrets)).toEqual([]);
  });

  it('finds secret shapes it was not given: JWTs, bearer headers, review URLs, unredacted token fields', () => {
    const kinds = (text: string): string[] => findSecrets(text, new SecretCollector()).map((f) => f.kind);
    expect(kinds(`token ${JWT}`)).toContain('jwt (pattern)');
    expect(kinds('authorization: Bearer abcdefghijklmnopqrstuvwxyz')).toContain('bearer header (pattern)');
    expect(kinds(`GET /review/${LINK_ID} 200`)).toContain('review link (pattern)');
    expect(kinds(`{"taskToken":"${'x'.repeat(43)}"}`)).toContain('task token field (pattern)');
    expect(kinds('{"taskToken":"[REDACTED]","nonce":"[REDACTED]"}')).toEqual([]);
  });
});

describe('splitBanner', () => {
  it("keeps each life's banner apart from everything else it wrote", () => {
    const log = new ProcessLog();
    const banner = [
      'credit-repair ready at http://127.0.0.1:3000',
      '  console       http://127.0.0.1:3000/',
      '',
      'Dev tokens (12 h; more from /_local/token?role=officer):',
      `  OFFICER_TOKEN=${JWT}`,
    ].join('\n');
    log.add({
      life: 0,
      stream: 'stdout',
      atMs: 0,
      text: `> npm start\n${banner}\n{"level":"INFO","message":"after"}\n`,
    });
    log.add({ life: 0, stream: 'stderr', atMs: 1, text: '[local] SIGTERM: stopping\n' });
    const { banners, rest } = splitBanner(log);
    expect(banners).toEqual([banner]);
    expect(bannerTokens(banners[0]!)).toEqual([JWT]);
    expect(rest).toContain('{"level":"INFO","message":"after"}');
    expect(rest).toContain('[local] SIGTERM: stopping');
    expect(rest).not.toContain(JWT);
  });
});
