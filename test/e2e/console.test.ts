import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuild } from '../../console/build/build.ts';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { DEMO_ENTERPRISES } from '../../local/demo-data.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { writePdfs } from '../support/pdf-files.ts';
import { DEMO_REVIEWER_EMAIL, REQUIRED_DOCUMENTS } from '../support/review-flow.ts';

/**
 * The web console in a real browser (Debian's chromium) on the embedded runtime with a fresh data
 * folder, one flow through every role: an officer records a tax assessment for the past (and its
 * payment); the applicant is refused with the date it may apply; the operator moves the clock and
 * sweeps; the applicant applies, uploads three PDF files from disk and submits; both reviewers
 * decide from links opened in the console's inbox; the officer sees the application approved and
 * the tier REGULAR. Every screen is checked with axe-core (no serious or critical violation),
 * screenshotted into test-artifacts/, and must load without a single CSP violation.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const chromiumPresent = existsSync(CHROMIUM);
const ENTERPRISE = DEMO_ENTERPRISES.regular;

let embedded: EmbeddedRuntime | undefined;
let runtime: Runtime;
let browser: Browser | undefined;
let axeSource = '';
let pdfDir = '';
const cspViolations: string[] = [];
const pageErrors: string[] = [];
const axeReport: Record<string, number> = {};

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is; fails on any serious or critical violation. */
async function checkAccessibility(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeReport[name] = violations.length;
  expect(grave, `${name}: ${JSON.stringify(grave, null, 2)}`).toEqual([]);
}

/** A screen: wait until it shows `ready`, check it and keep a picture of it. */
async function screen(page: Page, name: string, ready: string): Promise<void> {
  try {
    await page.locator(ready).first().waitFor();
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `console-${name}-FAILED.png`), fullPage: true });
    throw new Error(`${name}: ${(error as Error).message}\npage errors: ${pageErrors.join('\n')}`);
  }
  await checkAccessibility(page, name);
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
}

async function signInAs(page: Page, role: 'officer' | 'applicant'): Promise<void> {
  await page.goto(`${runtime.url}/#/sign-in`);
  if (role === 'officer') {
    await page.locator('input[name="role"][value="officer"]').check();
    await page.locator('form button[type="submit"]').click();
  } else {
    await page.getByRole('button', { name: `Applicant ${ENTERPRISE}` }).click();
  }
  // The sign-in asks the runtime for a token before it takes effect: until then the identity shown
  // is the one signed in before, so wait for the new role, not for any identity.
  await page.locator(`.identity[data-role="${role}"]`).waitFor();
}

async function simulatedToday(): Promise<string> {
  const reply = (await (await fetch(`${runtime.url}/_local/clock`)).json()) as { now: string };
  return localDateIn(reply.now);
}

beforeAll(async () => {
  await ensureConsoleBuild('embedded');
  embedded = await startEmbeddedRuntime('console-browser');
  runtime = embedded.runtime;
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  pdfDir = await mkdtemp(join(tmpdir(), 'console-pdfs-'));
  await mkdir(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await embedded?.stop();
  if (pdfDir) await rm(pdfDir, { recursive: true, force: true });
});

describe('the web console', () => {
  it.skipIf(!chromiumPresent && !process.env.CI)(
    'takes an enterprise from a recorded tax assessment to an approved repair',
    async () => {
      expect(chromiumPresent, `${CHROMIUM} is required (apt-get install chromium)`).toBe(true);
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
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const pdfs = await writePdfs(pdfDir, REQUIRED_DOCUMENTS);
      const today = await simulatedToday();
      const dueOn = addMonths(today, -6);
      const paidOn = addMonths(today, -1);
      // RULES.md: tax arrears need 3 months of rectification from the payment.
      const earliest = addMonths(paidOn, 3);

      // The console at `/`, with a CSP, asks who you are.
      const index = await page.goto(`${runtime.url}/`);
      expect(index?.headers()['content-security-policy']).toContain("script-src 'self'");
      await screen(page, 'sign-in', 'h1');

      // Keyboard: the skip link comes first and moves the focus to the content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');

      // --- officer: opens the enterprise by keyboard, records a past tax assessment and its payment.
      await signInAs(page, 'officer');
      await screen(page, 'officer-home', '#enterprise-id');
      await page.locator('#enterprise-id').focus();
      await page.keyboard.type(ENTERPRISE);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="tier"] [data-tier="REGULAR"]').waitFor();

      // The API's own validation message appears at the field it names.
      await page.locator('#fact-type').selectOption('TAX_ASSESSMENT');
      await page
        .locator(
          '#record-fact-heading ~ button[type="submit"], form[aria-labelledby="record-fact-heading"] button[type="submit"]',
        )
        .first()
        .click();
      await page.locator('#fact-amount-error').waitFor();
      await page.locator('#fact-dueOn-error').waitFor();
      expect(await page.locator('#fact-amount').getAttribute('aria-invalid')).toBe('true');
      await screen(page, 'officer-fact-errors', '#fact-amount-error');

      await page.locator('#fact-amount').fill('120000');
      await page.locator('#fact-dueOn').fill(dueOn);
      await page.locator('form[aria-labelledby="record-fact-heading"] button[type="submit"]').click();
      await page.locator('[data-testid="tier"] [data-tier="DISHONEST"]').waitFor();
      await page.getByRole('button', { name: 'Record payment' }).first().click();
      await page.locator('input[id^="paid-on-"]').fill(paidOn);
      await page.locator('input[id^="paid-on-"]').press('Enter');
      await page.locator(`[data-testid="earliest-on"]:has-text("${earliest}")`).waitFor();
      await screen(page, 'officer-enterprise', '[data-cause="TAX_ARREARS"]');

      // The enterprise is now listed: the officer finds it among the listed enterprises, and by name.
      await page.goto(`${runtime.url}/#/`);
      await page.getByRole('link', { name: 'Listed as dishonest' }).click();
      await page.locator(`table.found tr[data-enterprise="${ENTERPRISE}"]`).waitFor();
      await screen(page, 'officer-find-listed', `table.found tr[data-enterprise="${ENTERPRISE}"]`);
      const name =
        (await page.locator(`table.found tr[data-enterprise="${ENTERPRISE}"] a`).textContent()) ?? '';
      await page.locator('#find-tier').selectOption('');
      await page.locator('#find-name').fill(name.slice(0, 4).toLowerCase());
      await page.locator('#find-name').press('Enter');
      await page.locator(`table.found tr[data-enterprise="${ENTERPRISE}"]`).waitFor();

      await page.goto(`${runtime.url}/#/reviewers`);
      await screen(page, 'officer-reviewers', 'td:has-text("customs.reviewer@example.org")');

      // --- applicant: sees before applying that it may not yet, with every reason and the date.
      await signInAs(page, 'applicant');
      await page.goto(`${runtime.url}/#/enterprises/${ENTERPRISE}`);
      await page
        .locator('[data-testid="eligibility"] [data-refusal="RECTIFICATION_PERIOD_NOT_MET"]')
        .waitFor();
      expect(await page.locator('[data-testid="eligible-on"]').textContent()).toBe(earliest);
      await screen(page, 'applicant-eligibility', '[data-testid="eligible-on"]');
      // Trying anyway is refused with the same reasons and date.
      await page.locator('#statement').fill('欠缴税款已全部补缴。All tax arrears have been paid.');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.locator('[data-reason="RECTIFICATION_PERIOD_NOT_MET"]').waitFor();
      expect(await page.locator('[data-testid="earliest-application-on"]').textContent()).toBe(earliest);
      await screen(page, 'applicant-refused', '[data-testid="earliest-application-on"]');

      // The same screens in Chinese.
      await page.getByRole('button', { name: '切换到中文' }).click();
      await page.locator('html[lang="zh-CN"]').waitFor();
      await page.locator('text=最早可申请日期').first().waitFor();
      await screen(page, 'applicant-refused-zh', '[data-testid="earliest-application-on"]');
      await page.getByRole('button', { name: 'Switch to English' }).click();

      // --- operator: moves the clock to that date and runs the sweep.
      await page.goto(`${runtime.url}/#/operator`);
      await page.locator('#clock-date').fill(earliest);
      await page.getByRole('button', { name: 'Move', exact: true }).click();
      await page.locator('.notice:has-text("Clock moved")').waitFor();
      expect(await simulatedToday()).toBe(earliest);
      await page.getByRole('button', { name: 'Run the sweep now' }).click();
      await screen(page, 'operator', '[data-testid="sweep-counts"]');

      // --- applicant: applies, uploads three PDFs from disk, submits.
      await page.goto(`${runtime.url}/#/enterprises/${ENTERPRISE}`);
      await page.locator('#statement').fill('欠缴税款已全部补缴。All tax arrears have been paid.');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/#\/applications\//);
      const applicationId = decodeURIComponent(page.url().split('#/applications/')[1] ?? '');
      expect(applicationId).not.toBe('');
      for (const documentType of REQUIRED_DOCUMENTS) {
        const input = page.locator(`#upload-${documentType}`);
        await input.waitFor();
        await input.setInputFiles(pdfs[documentType] as string);
        await page
          .locator(`[data-document="${documentType}"] .upload-state[data-state="uploaded"]`)
          .waitFor();
      }
      await screen(page, 'applicant-uploaded', '[data-document="TAX_PAID_PROOF"] [data-state="uploaded"]');
      await page.getByRole('button', { name: 'Submit evidence' }).click();
      await page.locator('[data-testid="application-status"] [data-status="UNDER_REVIEW"]').waitFor();
      await page.locator('[data-evidence="TAX_PAID_PROOF"] [data-status="UPLOADED"]').waitFor();
      // The workflow waits in the review: the Map state is outlined as the current step.
      await page.locator('[data-testid="workflow"] [data-node="Review"][data-state="current"]').waitFor();
      expect(await page.locator('[data-node="AwaitEvidence"]').getAttribute('data-state')).toBe('visited');
      await screen(page, 'applicant-application', '[data-review="TAX"]');

      // --- reviewers: each opens the link in its mail from the console's inbox and approves.
      await page.goto(`${runtime.url}/#/operator/inbox`);
      await screen(page, 'inbox', 'table.inbox');
      for (const party of ['CUSTOMS', 'TAX'] as const) {
        await page.locator('#inbox-to').selectOption(DEMO_REVIEWER_EMAIL[party]);
        await page
          .locator(`table.inbox a:has-text("${applicationId}"), table.inbox a:has-text("round 1")`)
          .first()
          .click();
        await page.locator('pre.mail-text a[href*="/review/"]').first().waitFor();
        if (party === 'CUSTOMS') {
          await screen(page, 'inbox-message', 'pre.mail-text');
          await page.getByRole('button', { name: 'HTML' }).click();
          const frame = page.frameLocator('iframe.mail-html');
          await frame.locator('a[href*="/review/"]').first().waitFor();
          await screen(page, 'inbox-message-html', 'iframe.mail-html');
          await page.getByRole('button', { name: 'Text' }).click();
        }
        const [review] = await Promise.all([
          context.waitForEvent('page'),
          page.locator('pre.mail-text a[href*="/review/"]').first().click(),
        ]);
        await review.waitForLoadState();
        await review.locator('input[name="decision"][value="APPROVE"]').check();
        await review.locator('textarea[name="comment"]').fill('材料齐全 / documents complete');
        await Promise.all([review.waitForNavigation(), review.locator('button[type="submit"]').click()]);
        expect(await review.locator('body').textContent()).toContain('Decision recorded');
        await review.close();
        await page.goto(`${runtime.url}/#/operator/inbox`);
      }

      // --- officer: the application is approved and the enterprise REGULAR again.
      await signInAs(page, 'officer');
      await page.goto(`${runtime.url}/#/applications/${encodeURIComponent(applicationId)}`);
      await page
        .locator('[data-testid="application-status"] [data-status="APPROVED"]')
        .waitFor({ timeout: 60_000 });
      await screen(page, 'officer-application', '[data-testid="outcome"]');
      // The workflow, drawn from the state machine's definition, has reached its end.
      await page
        .locator(
          '[data-testid="workflow"][data-status="SUCCEEDED"] [data-node="(end)"][data-state="visited"]',
        )
        .waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-node="UpgradeTier"]').getAttribute('data-state')).toBe('visited');
      expect(await page.locator('[data-node="RecordFailure"]').getAttribute('data-state')).toBe('idle');
      await page.locator('[data-testid="workflow"]').scrollIntoViewIfNeeded();
      await screen(page, 'officer-workflow', '[data-testid="workflow"] svg.workflow');
      await page.goto(`${runtime.url}/#/applications`);
      await screen(page, 'officer-applications', `tr[data-application="${applicationId}"]`);
      await page.goto(`${runtime.url}/#/enterprises/${ENTERPRISE}`);
      await page.locator('[data-testid="tier"] [data-tier="REGULAR"]').waitFor();
      await screen(page, 'officer-enterprise-restored', '[data-testid="tier"]');

      // --- API docs, bundled Swagger UI on the served OpenAPI document.
      await page.goto(`${runtime.url}/console/api-docs.html`);
      await screen(page, 'api-docs', '.swagger-ui .opblock');

      expect(cspViolations).toEqual([]);
      console.log(`axe violations (none serious or critical) per screen: ${JSON.stringify(axeReport)}`);
    },
    180_000,
  );
});
