import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../local/runtime.ts';

/**
 * A reviewer in a real browser (Debian's chromium, headless, scripts irrelevant: the page has
 * none): opens the review link from the outbox, chooses approve, submits, and reads the result.
 * Locally the test is skipped when chromium is not installed; under CI a missing browser fails it.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const chromiumPresent = existsSync(CHROMIUM);

let runtime: Runtime;
let dataDir: string;
let browser: Browser | undefined;

async function api(method: string, path: string, token: string, json?: unknown) {
  const response = await fetch(runtime.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(json === undefined
        ? {}
        : { 'content-type': 'application/json', 'idempotency-key': 'e2e-review-1' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Submits an application of the demo's eligible enterprise with its evidence; returns its id. */
async function applicationUnderReview(): Promise<string> {
  const applicant = runtime.tokens.applicants.find((a) => a.role === 'eligible');
  if (applicant === undefined) throw new Error('the demo data has no eligible enterprise');
  const created = await api('POST', '/applications', applicant.token, {
    enterpriseId: applicant.id,
    statement: '欠缴税款已全部补缴。All tax arrears have been paid.',
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const pdf = new TextEncoder().encode('%PDF-1.4 browser test');
  for (const documentType of created.body.requiredDocuments as string[]) {
    const ticket = await api('POST', `/applications/${id}/evidence`, applicant.token, {
      documentType,
      fileName: `${documentType.toLowerCase()}.pdf`,
      contentType: 'application/pdf',
      size: pdf.length,
    });
    expect(ticket.status).toBe(201);
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'file.pdf');
    const stored = await fetch(upload.url, { method: 'POST', body: form });
    await stored.arrayBuffer();
    expect(stored.status).toBeLessThan(300);
  }
  expect((await api('POST', `/applications/${id}/evidence/submit`, applicant.token)).status).toBe(202);
  return id;
}

/** The first review link mailed for the application, from the outbox. */
async function firstReviewLink(applicationId: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const outbox = (await (await fetch(`${runtime.url}/_local/outbox`)).json()) as {
      text: string;
      links: string[];
    }[];
    const link = outbox
      .filter((entry) => entry.text.includes(applicationId))
      .flatMap((entry) => entry.links)
      .find((url) => url.includes('/review/'));
    if (link !== undefined) return link;
    if (Date.now() > deadline) throw new Error('no review link was mailed');
    await sleep(50);
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'review-browser-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('review in a browser', () => {
  it.skipIf(!chromiumPresent && !process.env.CI)(
    'approves from the emailed link and shows the result',
    async () => {
      expect(chromiumPresent, `${CHROMIUM} is required (apt-get install chromium)`).toBe(true);
      const applicationId = await applicationUnderReview();
      const link = await firstReviewLink(applicationId);

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
