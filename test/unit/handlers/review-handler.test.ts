import { describe, expect, it } from 'vitest';
import { decideReview, showReview } from '../../../functions/api/review.ts';
import { buildEvent, lambdaContext } from '../../../local/gateway/event.ts';

/**
 * The review handlers' answers that need no table: API Gateway routes HEAD to GET routes, so the
 * handler itself refuses it; an id that cannot be a link and a malformed form get pages at once.
 * No TABLE_NAME is set here, so any table read would surface as a 500.
 */

const LINK_ID = 'A'.repeat(43);

function event(method: string, linkId: string, body = '', contentType?: string) {
  return buildEvent({
    method,
    rawPath: `/review/${linkId}`,
    rawQueryString: '',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body: Buffer.from(body),
    sourceIp: '127.0.0.1',
    localPort: 3000,
    routeKey: `${method === 'HEAD' ? 'GET' : method} /review/{linkId}`,
    pathParameters: { linkId },
  });
}

describe('review handlers without a table', () => {
  it('refuses HEAD with 405 before reading anything', async () => {
    const result = await showReview(event('HEAD', LINK_ID), lambdaContext('showReview', 'r1'));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, POST');
    expect(result.headers?.['content-type']).toBe('application/problem+json');
  });

  it('answers a malformed link id with the 404 page', async () => {
    for (const handler of [showReview, decideReview]) {
      const method = handler === showReview ? 'GET' : 'POST';
      const result = await handler(
        event(
          method,
          'not-a-link',
          'decision=APPROVE&nonce=' + 'n'.repeat(22),
          'application/x-www-form-urlencoded',
        ),
        lambdaContext('review', 'r2'),
      );
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(result.headers?.['cache-control']).toBe('no-store');
      expect(result.headers?.['referrer-policy']).toBe('no-referrer');
      expect(result.body).toContain('Link not found');
    }
  });

  it('answers a malformed form with the 400 page naming the fields', async () => {
    const result = await decideReview(
      event('POST', LINK_ID, 'decision=PERHAPS', 'application/x-www-form-urlencoded'),
      lambdaContext('decideReview', 'r3'),
    );
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(result.body).toContain('<li>decision:');
    expect(result.body).toContain('<li>nonce:');
  });
});
