import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTERPRISES } from '../../local/demo-data.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { send, type Reply } from '../support/http-client.ts';

/**
 * GET /public/credit/{enterpriseId} through the real gateway: JSON for API clients (no Accept,
 * `*\/*`, JSON weighted at least as high as HTML, or nothing offered acceptable), a bilingual page
 * for a browser; both vary on Accept, and the page shows only what the JSON shows.
 */

let embedded: EmbeddedRuntime;
let runtime: Runtime;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('public-credit-page');
  runtime = embedded.runtime;
});

afterAll(async () => {
  await embedded?.stop();
});

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

const lookup = (enterpriseId: string, accept?: string): Promise<Reply> =>
  send(
    runtime.url,
    'GET',
    `/public/credit/${enterpriseId}`,
    accept === undefined ? {} : { headers: { accept } },
  );

const mediaType = (reply: Reply): string => String(reply.headers['content-type']).split(';')[0] ?? '';

describe('the public credit lookup negotiates on Accept', () => {
  it('answers JSON by default and to API clients, HTML to a browser, and varies on Accept', async () => {
    const id = DEMO_ENTERPRISES.seriouslyDishonest;
    const asJson: [string | undefined, string][] = [
      [undefined, 'no Accept'],
      ['*/*', 'anything'],
      ['application/json', 'JSON'],
      ['text/html, application/json', 'a tie'],
      ['text/html;q=0.5, application/json', 'JSON weighted higher'],
      ['image/png', 'nothing offered (JSON rather than 406)'],
      ['text/html;q=0, */*', 'HTML refused'],
    ];
    const json = await lookup(id);
    expect(json.status).toBe(200);
    for (const [accept, why] of asJson) {
      const reply = await lookup(id, accept);
      expect(mediaType(reply), why).toBe('application/json');
      expect(reply.body, why).toEqual(json.body);
      expect(reply.headers.vary, why).toBe('Accept');
    }
    for (const accept of [BROWSER, 'text/html', 'text/*', 'application/json;q=0.9, text/html']) {
      const reply = await lookup(id, accept);
      expect(reply.status, accept).toBe(200);
      expect(mediaType(reply), accept).toBe('text/html');
      expect(reply.headers.vary, accept).toBe('Accept');
      expect(reply.headers['content-security-policy'], accept).toContain("default-src 'none'");
    }
  });

  it('the page shows name, code, tier in both languages and listing dates, and nothing else', async () => {
    const id = DEMO_ENTERPRISES.seriouslyDishonest;
    const json = (await lookup(id)).body as {
      name: string;
      listing: { since: string; until: string };
    };
    const page = (await lookup(id, BROWSER)).text;
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('企业信用状况查询');
    expect(page).toContain('Enterprise credit status');
    expect(page).toContain(json.name);
    expect(page).toContain(id);
    expect(page).toContain(
      '<span lang="zh-CN">严重失信企业</span> / <span lang="en">Seriously Dishonest Listing</span>',
    );
    expect(page).toContain(json.listing.since);
    expect(page).toContain(json.listing.until);
    // No raw JSON, no wire codes, nothing private (contact, facts), no demo suffix in the name.
    expect(page).not.toMatch(/[{}]"|"tier"|SERIOUSLY_DISHONEST|BRIBERY|@|\(demo/);
    expect(page).not.toContain('<script');

    const regular = (await lookup(DEMO_ENTERPRISES.regular, BROWSER)).text;
    expect(regular).toContain('<span lang="zh-CN">常规企业</span> / <span lang="en">Neutral Listing</span>');
    expect(regular).toContain('未列入失信名单');
    expect(regular).toContain('Not listed');
  });

  it('an unknown enterprise: a problem for API clients, an announced page for a browser', async () => {
    const json = await lookup('NOSUCH0001', '*/*');
    expect(json.status).toBe(404);
    expect(mediaType(json)).toBe('application/problem+json');
    expect(json.body).toMatchObject({ code: 'NOT_FOUND', enterpriseId: 'NOSUCH0001' });
    expect(json.headers.vary).toBe('Accept');
    const page = await lookup('NOSUCH0001', BROWSER);
    expect(page.status).toBe(404);
    expect(mediaType(page)).toBe('text/html');
    expect(page.headers.vary).toBe('Accept');
    expect(page.text).toContain('role="alert"');
    expect(page.text).toContain('No enterprise has the customs code NOSUCH0001');
  });
});
