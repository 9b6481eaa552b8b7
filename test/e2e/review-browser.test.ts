import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { applyAndSubmit, type ReviewedParty } from '../support/review-flow.ts';

/**
 * A reviewer in a real browser (Debian's chromium, headless, scripts irrelevant: the page has
 * none): opens the review link from the outbox, chooses approve, submits, and reads the result.
 * Locally the test is skipped when chromium is not installed; under CI a missing browser fails it.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const chromiumPresent = existsSync(CHROMIUM);

let runtime: Runtime;
let embedded: EmbeddedRuntime | undefined;
let browser: Browser | undefined;

/** The demo's eligible enterprise applies with its evidence; the reviewers' links are mailed. */
async function applicationUnderReview(): Promise<{ id: string; links: Record<ReviewedParty, string> }> {
  const applicant = runtime.tokens.applicants.find((a) => a.role === 'eligible');
  if (applicant === undefined) throw new Error('the demo data has no eligible enterprise');
  return applyAndSubmit(
    { baseUrl: runtime.url, token: applicant.token },
    applicant.id,
    '欠缴税款已全部补缴。All tax arrears have been paid.',
  );
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
      const { id: applicationId, links } = await applicationUnderReview();
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
      expect(existsSync(join(ARTIFACTS, 'review-approved.png'))).toBe(true);

      // Reloading the link now shows the decision on record instead of a form.
      const again = await page.goto(link);
      expect(again?.status()).toBe(409);
      expect(await page.locator('form').count()).toBe(0);
    },
  );
});
