import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { ROUTE } from '../../functions/api/routes.ts';
import type { Runtime } from '../../local/runtime.ts';
import { AwsCallRecorder } from '../support/aws-call-recorder.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { eventually } from '../support/eventually.ts';
import {
  applyAndSubmit,
  decideWithLink,
  openPage,
  ReviewFlow,
  uploadDocuments,
} from '../support/review-flow.ts';

/**
 * The case on the review page (issue 11), through the real gateway, workflow and store: the
 * causes the application covers with their determination dates and policy, the facts each owns,
 * the rectification clock as the enterprise view states it, the lead party's view of the other
 * parties' decisions (RULES.md §6.9), and in round 2 the earlier round, the applicant's response
 * and the documents new in the round (§6.10). A page view costs the same four store reads it cost
 * before the case was shown.
 */

let embedded: EmbeddedRuntime;
let runtime: Runtime;
let flow: ReviewFlow;
const recorder = new AwsCallRecorder();

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('review-page-case');
  runtime = embedded.runtime;
  flow = new ReviewFlow(runtime, { prefix: 'CASE' });
  recorder.install(documentClient());
});

afterAll(async () => {
  await embedded?.stop();
});

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text a reader sees: tags dropped, entities decoded, whitespace collapsed. */
const textOf = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** The text of the page's section under the `<h2>` naming `heading`, up to the next `<h2>`. */
function section(html: string, heading: string): string | undefined {
  const parts = html.split(/(?=<h2>)/);
  const found = parts.find((part) => {
    const h2 = /^<h2>[\s\S]*?<\/h2>/.exec(part)?.[0];
    return h2 !== undefined && textOf(h2).includes(heading);
  });
  return found === undefined ? undefined : textOf(found);
}

interface EnterpriseWire {
  causes: { code: string; determinedOn: string; policyId: string; factIds: string[] }[];
  facts: { id: string; amount?: number; dueOn?: string; paidOn?: string }[];
  rectification: { clockStart: string; earliestApplicationOn: string; minimumMonths: number };
}

describe('the case on the review page', () => {
  it('shows causes, facts and clock; the lead sees the others; round 2 shows the history', async () => {
    const enterprise = await flow.eligibleEnterprise();
    const applicant = { baseUrl: runtime.url, token: enterprise.token };
    const statement = '税款已于规定期限后全部补缴。The tax was paid in full, late.';
    const { id, links } = await applyAndSubmit(applicant, enterprise.id, statement);
    const officerView = await flow.api('GET', `/enterprises/${enterprise.id}`, runtime.tokens.officer);
    expect(officerView.status).toBe(200);
    const wire = officerView.body as unknown as EnterpriseWire;
    const [cause] = wire.causes;
    const fact = wire.facts[0];
    expect(cause?.code).toBe('TAX_ARREARS');
    if (cause === undefined || fact === undefined) throw new Error('the flow enterprise has no cause');

    // The non-lead party's page, and what it cost the store.
    const before = recorder.calls.length;
    const tax = await openPage(links.TAX);
    const reads = recorder.calls
      .slice(before)
      .filter((call) => call.functionKey === ROUTE.showReview.exportName);
    expect(tax.status).toBe(200);
    expect(reads.map((call) => call.command).sort()).toEqual([
      'GetItemCommand',
      'GetItemCommand',
      'QueryCommand',
      'QueryCommand',
    ]);

    const theCase = section(tax.html, 'The case');
    expect(theCase).toBeDefined();
    expect(theCase).toContain('欠缴税款 / tax arrears');
    expect(theCase).toContain(`认定日期 / Determined on ${cause.determinedOn}`);
    expect(theCase).toContain(`适用规定 / Judged under ${cause.policyId}`);
    expect(theCase).toContain('税款核定 / Tax assessment');
    expect(theCase).toContain('80000.00');
    expect(theCase).toContain(`缴纳期限 / Due ${fact.dueOn}`);
    expect(theCase).toContain(`${fact.paidOn}`);
    expect(theCase).toContain(`修复期起算日 / Clock started on ${wire.rectification.clockStart}`);
    expect(theCase).toContain(
      `最早可申请日期 / Earliest application date ${wire.rectification.earliestApplicationOn}`,
    );
    expect(section(tax.html, 'Statement')).toContain(statement);
    // Nothing beyond the case: not the enterprise's contact address.
    expect(tax.html).not.toContain(`@${enterprise.id.toLowerCase()}`);
    // The others' decisions are the lead's to see (§6.9); nothing of round 2 yet.
    expect(textOf(tax.html)).not.toContain("The other parties' decisions");
    expect(textOf(tax.html)).not.toContain('Earlier review rounds');
    expect(textOf(tax.html)).not.toContain('new in this round');

    const lead = await openPage(links.CUSTOMS);
    expect(section(lead.html, "The other parties' decisions")).toContain('No other party has decided yet.');

    const changes = '请补充完税证明原件扫描件。Please add a scan of the original tax receipt.';
    expect((await decideWithLink(links.TAX, { decision: 'REQUEST_CHANGES', comment: changes })).status).toBe(
      200,
    );
    const others = section((await openPage(links.CUSTOMS)).html, "The other parties' decisions");
    expect(others).toContain('税务部门 / Tax authority');
    expect(others).toContain('要求补正材料 / Request changes');
    expect(others).toContain(changes);
    expect(
      (await decideWithLink(links.CUSTOMS, { decision: 'APPROVE', comment: '同意 / agreed' })).status,
    ).toBe(200);

    await eventually('round 2', async () => ((await flow.application(id)).round === 2 ? true : undefined));
    await uploadDocuments(applicant, id, ['TAX_PAID_PROOF']);
    const response = '已附上完税证明原件扫描件。The scan of the original receipt is attached.';
    const resubmitted = await flow.api('POST', `/applications/${id}/evidence/submit`, enterprise.token, {
      response,
    });
    expect(resubmitted.status, resubmitted.text).toBe(202);
    const round2 = await flow.reviewLinks(id, 2);

    for (const link of [round2.TAX, round2.CUSTOMS]) {
      const page = await openPage(link);
      expect(page.status).toBe(200);
      const history = section(page.html, 'Earlier review rounds');
      expect(history).toContain('第 1 轮 / Round 1');
      expect(history).toContain(`税务部门 / Tax authority 要求补正材料 / Request changes`);
      expect(history).toContain(changes);
      expect(history).toContain('海关 / Customs 同意修复 / Approve');
      expect(section(page.html, "The applicant's response")).toContain(response);
      // Only the document uploaded again in round 2 is new.
      const documents = section(page.html, 'Documents') ?? '';
      expect(documents.match(/new in this round/g)).toHaveLength(1);
      expect(documents).toMatch(/Proof of tax payment 本轮新提交 \/ new in this round/);
      // The case stays on the page in round 2.
      expect(section(page.html, 'The case')).toContain(`Determined on ${cause.determinedOn}`);
    }
    // Round 2 has no decision yet: the lead sees none.
    expect(section((await openPage(round2.CUSTOMS)).html, "The other parties' decisions")).toContain(
      'No other party has decided yet.',
    );
  });
});
