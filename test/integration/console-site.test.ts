import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuild } from '../../console/build/build.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { applicantToken, applyAndSubmit } from '../support/review-flow.ts';
import { DEMO_ENTERPRISES } from '../../local/demo-data.ts';

/** How the embedded runtime serves the console: paths, content types, caching, CSP. */

let embedded: EmbeddedRuntime;
let base = '';

beforeAll(async () => {
  await ensureConsoleBuild('embedded');
  embedded = await startEmbeddedRuntime('console-site');
  base = embedded.runtime.url;
}, 120_000);

afterAll(async () => {
  await embedded?.stop();
});

const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });

describe('the console on the embedded runtime', () => {
  it('serves its page at / with a strict CSP that lets uploads reach the object store', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\d+;/);
    expect(await response.text()).toContain('<div id="app">');
  });

  it('serves hashed assets with their types, cached for good', async () => {
    const page = await (await get('/')).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    const style = /href="(\/console\/assets\/[^"]+\.css)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await get(script as string);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await get(style as string);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for files the build did not make, whatever the path says', async () => {
    for (const path of [
      '/console/assets/nope.js',
      '/console/..%2F..%2Fpackage.json',
      '/console/build-stamp.json',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await get('/console')).headers.get('location')).toBe('/');
  });

  it('tells the console where it runs, and the docs page gets its own, looser policy', async () => {
    const config = (await (await get('/console/config.json')).json()) as {
      runtime: string;
      demoEnterprises: { id: string }[];
    };
    expect(config.runtime).toBe('embedded');
    expect(config.demoEnterprises.map((d) => d.id)).toContain(DEMO_ENTERPRISES.eligible);
    const docs = await get('/console/api-docs.html');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
  });

  it("frames a message's HTML part under a CSP that runs nothing and opens links in a new tab", async () => {
    const token = await applicantToken(base, DEMO_ENTERPRISES.eligible);
    await applyAndSubmit({ baseUrl: base, token }, DEMO_ENTERPRISES.eligible, 'Arrears paid.');
    const listed = (await (await get('/_local/outbox')).json()) as { id: string }[];
    const message = listed[0];
    if (message === undefined) throw new Error('the review request was not mailed');
    expect((await get('/_local/outbox/none/html')).status).toBe(404);
    const response = await get(`/_local/outbox/${encodeURIComponent(message.id)}/html`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('sandbox allow-popups allow-popups-to-escape-sandbox');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('script-src');
    expect(await response.text()).toContain('<base target="_blank">');
  });
});
