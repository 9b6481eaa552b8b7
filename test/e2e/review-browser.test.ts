import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { minimalPdf } from '../support/pdf-files.ts';
import { apply, callAs, reviewLinks, submitEvidence, type ReviewedParty } from '../support/review-flow.ts';

/**
 * A reviewer in a real browser (Debian's chromium, headless, scripts irrelevant: the page has
 * none): opens the review link from the outbox, opens each document and receives its bytes,
 * chooses approve, submits, and reads the result; the documents are then gone (410).
 * Locally the test is skipped when chromium is not installed; under CI a missing browser fails it.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const chromiumPresent = existsSync(CHROMIUM);

let runtime: Runtime;

/** axe-core on the page as it is: no serious or critical violation. */
async function checkAccessibility(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP (no script at all) stays on.
  await page.evaluate(await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) })))`,
  )) as { id: string; impact: string | null }[];
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(grave, `${name}: ${JSON.stringify(grave, null, 2)}`).toEqual([]);
}
let embedded: EmbeddedRuntime | undefined;
let browser: Browser | undefined;

/**
 * The demo's eligible enterprise applies with real PDF files; the reviewers' links are mailed.
 * The files by document type.
 */
async function applicationUnderReview(): Promise<{
  id: string;
  links: Record<ReviewedParty, string>;
  files: Map<string, Buffer>;
}> {
  const demo = runtime.tokens.applicants.find((a) => a.role === 'eligible');
  if (demo === undefined) throw new Error('the demo data has no eligible enterprise');
  const applicant = { baseUrl: runtime.url, token: demo.token };
  const created = await apply(applicant, demo.id, '欠缴税款已全部补缴。All tax arrears have been paid.');
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const files = new Map<string, Buffer>();
  for (const documentType of created.body.requiredDocuments as string[]) {
    const file = minimalPdf(`${documentType} of ${id}`);
    const ticket = await callAs(applicant, 'POST', `/applications/${id}/evidence`, {
      documentType,
      fileName: `${documentType.toLowerCase()}.pdf`,
      contentType: 'application/pdf',
      size: file.length,
    });
    expect(ticket.status, ticket.text).toBe(201);
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), `${documentType}.pdf`);
    expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    files.set(documentType, file);
  }
  await submitEvidence(applicant, id);
  return { id, links: await reviewLinks(runtime.url, id), files };
}

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('review-browser');
  runtime = embedded.runtime;
});

afterAll(async () => {
  await browser?.close();
  await embedded?.stop();
});

describe('review in a browser', () => {
  it.skipIf(!chromiumPresent && !process.env.CI)(
    'approves from the emailed link and shows the result',
    async () => {
      expect(chromiumPresent, `${CHROMIUM} is required (apt-get install chromium)`).toBe(true);
      const { id: applicationId, links, files } = await applicationUnderReview();
      const link = links.CUSTOMS;

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const page = await browser.newPage({ locale: 'zh-CN' });
      const opened = await page.goto(link);
      expect(opened?.status()).toBe(200);
      await expect(page.locator('h1').textContent()).resolves.toContain('Credit repair: interagency review');
      await expect(page.locator('body').textContent()).resolves.toContain(applicationId);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'review-confirmation.png'), fullPage: true });
      await checkAccessibility(page, 'confirmation page');

      // Each document opens from the page (a new window) with the bytes the applicant submitted.
      const documents = page.locator('a[href*="/documents/"]');
      expect(await documents.count()).toBe(files.size);
      const documentUrls: string[] = [];
      const received: string[] = [];
      for (let n = 0; n < (await documents.count()); n += 1) {
        const [popup, response] = await Promise.all([
          page.waitForEvent('popup'),
          page.context().waitForEvent('response', (r) => r.url().includes('X-Amz-Signature=')),
          documents.nth(n).click(),
        ]);
        expect(response.status()).toBe(200);
        expect(response.headers()['content-disposition']).toMatch(/^inline/);
        expect(response.headers()['content-type']).toBe('application/pdf');
        // The browser shows it in its PDF viewer; the bytes it was given, read from the window.
        const bytes = (await popup.evaluate(
          'fetch(location.href).then((r) => r.arrayBuffer()).then((b) => Array.from(new Uint8Array(b)))',
        )) as number[];
        received.push(Buffer.from(bytes).toString('latin1'));
        documentUrls.push(new URL((await documents.nth(n).getAttribute('href')) ?? '', link).href);
        await popup.close();
      }
      expect(received.sort()).toEqual([...files.values()].map((file) => file.toString('latin1')).sort());

      await page.locator('input[name="decision"][value="APPROVE"]').check();
      await page.locator('textarea[name="comment"]').fill('材料齐全 / documents complete');
      const [result] = await Promise.all([
        page.waitForNavigation(),
        page.locator('button[type="submit"]').click(),
      ]);
      expect(result?.status()).toBe(200);
      const body = (await page.locator('body').textContent()) ?? '';
      expect(body).toContain('审核决定已提交');
      expect(body).toContain('Decision recorded');
      expect(body).toContain('材料齐全 / documents complete');

      await page.screenshot({ path: join(ARTIFACTS, 'review-approved.png'), fullPage: true });
      await checkAccessibility(page, 'decision recorded page');
      expect(existsSync(join(ARTIFACTS, 'review-approved.png'))).toBe(true);

      // Reloading the link now shows the decision on record instead of a form.
      const again = await page.goto(link);
      expect(again?.status()).toBe(409);
      expect(await page.locator('form').count()).toBe(0);

      await checkAccessibility(page, 'already used page');

      // A decided link's documents are gone.
      for (const url of documentUrls) expect((await page.goto(url))?.status()).toBe(410);
      await checkAccessibility(page, 'gone page');
    },
    // Three documents in their own windows and four axe runs: more than the default on a busy machine.
    120_000,
  );
});
