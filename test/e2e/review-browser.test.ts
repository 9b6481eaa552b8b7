import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import { minimalPdf } from '../support/pdf-files.ts';
import {
  apply,
  postForm,
  reviewLinks,
  submitEvidence,
  type ReviewedParty,
  uploadDocuments,
} from '../support/review-flow.ts';

/**
 * Reviewers in a real browser (Debian's chromium, headless, scripts irrelevant: the page has
 * none): tax opens its link from the outbox, is told a rejection needs a comment, approves; the
 * lead (customs) sees that decision on its page, opens each document and receives its bytes,
 * approves, and reads the result; the documents are then gone (410). The enterprise's public
 * lookup then opens as a page. axe-core checks every page; screenshots go to test-artifacts/.
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
  enterpriseId: string;
  links: Record<ReviewedParty, string>;
  files: Map<string, Buffer>;
}> {
  const demo = runtime.tokens.applicants.find((a) => a.role === 'eligible');
  if (demo === undefined) throw new Error('the demo data has no eligible enterprise');
  const applicant = { baseUrl: runtime.url, token: demo.token };
  const created = await apply(applicant, demo.id, '欠缴税款已全部补缴。All tax arrears have been paid.');
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  const files = await uploadDocuments(
    applicant,
    id,
    created.body.requiredDocuments as string[],
    (documentType) => minimalPdf(`${documentType} of ${id}`),
  );
  await submitEvidence(applicant, id);
  return { id, enterpriseId: demo.id, links: await reviewLinks(runtime.url, id), files };
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
      const { id: applicationId, enterpriseId, links, files } = await applicationUnderReview();
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
      await mkdir(ARTIFACTS, { recursive: true });

      // A party that does not lead: the application and its case, no other party's decision.
      const opened = await page.goto(links.TAX);
      expect(opened?.status()).toBe(200);
      await expect(page.locator('h1').textContent()).resolves.toContain('Credit repair: interagency review');
      const partyText = (await page.locator('body').textContent()) ?? '';
      expect(partyText).toContain(applicationId);
      expect(partyText).toContain('The case');
      expect(partyText).toContain('tax arrears');
      expect(partyText).not.toContain("The other parties' decisions");
      await page.screenshot({ path: join(ARTIFACTS, 'review-page-party.png'), fullPage: true });
      await checkAccessibility(page, 'confirmation page (a party)');

      // A form with another link's nonce, and one without a decision: pages that say so, announced.
      const nonce = (await page.locator('input[name="nonce"]').getAttribute('value')) ?? '';
      const stale = await postForm(links.TAX, {
        decision: 'APPROVE',
        nonce: `${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`,
      });
      expect(stale.status).toBe(403);
      const invalid = await postForm(links.TAX, { nonce });
      expect(invalid.status).toBe(400);
      for (const [name, html] of [
        ['stale form page', stale.html],
        ['invalid form page', invalid.html],
      ] as const) {
        await page.setContent(html);
        expect(await page.locator('[role="alert"]').count(), name).toBe(1);
        await checkAccessibility(page, name);
      }
      expect((await page.goto(links.TAX))?.status()).toBe(200);

      // A rejection without a comment comes back announced, the comment marked invalid and required.
      await page.locator('input[name="decision"][value="REJECT"]').check();
      const [refused] = await Promise.all([
        page.waitForNavigation(),
        page.locator('button[type="submit"]').click(),
      ]);
      expect(refused?.status()).toBe(422);
      await expect(page.locator('[role="alert"]').textContent()).resolves.toContain('A comment is required');
      await expect(page.locator('#comment').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#comment').getAttribute('aria-required')).resolves.toBe('true');
      await page.screenshot({ path: join(ARTIFACTS, 'review-form-error.png'), fullPage: true });
      await checkAccessibility(page, 'confirmation page with a form error');

      const taxComment = '完税证明与申报一致。The tax receipt matches the assessment.';
      await page.locator('input[name="decision"][value="APPROVE"]').check();
      await page.locator('textarea[name="comment"]').fill(taxComment);
      const [taxDecided] = await Promise.all([
        page.waitForNavigation(),
        page.locator('button[type="submit"]').click(),
      ]);
      expect(taxDecided?.status()).toBe(200);

      // The lead's page: the other party's decision and comment as it arrived (RULES.md §6.9).
      expect((await page.goto(link))?.status()).toBe(200);
      const others = page.locator('h2', { hasText: "The other parties' decisions" });
      expect(await others.count()).toBe(1);
      const leadText = (await page.locator('body').textContent()) ?? '';
      expect(leadText).toContain(taxComment);
      expect(leadText).toContain('Tax authority');
      await page.screenshot({ path: join(ARTIFACTS, 'review-page-lead.png'), fullPage: true });
      await checkAccessibility(page, 'confirmation page (the lead)');

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
      expect((await page.goto(new URL('/review/no-such-link-0123456789abcdef', link).href))?.status()).toBe(
        404,
      );
      await checkAccessibility(page, 'not found page');

      // The public lookup, as a browser asks for it: the bilingual page, not JSON; once the
      // workflow has restored the tier (it does so after the last decision, asynchronously).
      await eventually('tier restored', async () => {
        const status = await fetch(`${runtime.url}/public/credit/${enterpriseId}`);
        return ((await status.json()) as { tier: string }).tier === 'REGULAR' ? true : undefined;
      });
      const lookup = await page.goto(`${runtime.url}/public/credit/${enterpriseId}`);
      expect(lookup?.status()).toBe(200);
      expect(lookup?.headers()['content-type']).toMatch(/^text\/html/);
      expect(lookup?.headers()['vary']).toBe('Accept');
      const publicText = (await page.locator('body').textContent()) ?? '';
      expect(publicText).toContain('常规企业');
      expect(publicText).toContain('Neutral Listing');
      expect(publicText).not.toMatch(/\(demo|[{}]/);
      await page.screenshot({ path: join(ARTIFACTS, 'public-credit.png'), fullPage: true });
      await checkAccessibility(page, 'public credit page');
      expect((await page.goto(`${runtime.url}/public/credit/NOSUCH0001`))?.status()).toBe(404);
      await checkAccessibility(page, 'public not found page');
      for (const name of ['review-page-party', 'review-page-lead', 'public-credit']) {
        expect(existsSync(join(ARTIFACTS, `${name}.png`)), name).toBe(true);
      }
    },
    // Three documents in their own windows and nine axe runs: more than the default on a busy machine.
    180_000,
  );
});
