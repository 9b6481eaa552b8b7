import { describe, expect, it } from 'vitest';
import {
  renderConfirmationPage,
  formatBytes,
  type ReviewPageModel,
} from '../../../functions/pages/review/confirmation.ts';

const HOSTILE = `<script>alert("x")</script>&'"`;

const model = (overrides: Partial<ReviewPageModel> = {}): ReviewPageModel => ({
  party: 'TAX',
  reviewerName: 'Wang Fang',
  round: 2,
  expiresAt: '2026-06-30T16:00:00.000Z',
  application: {
    id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    enterpriseId: '1234567890',
    enterpriseName: 'Shenzhen Harbour Trading Co.',
    fromTier: 'DISHONEST',
    targetTier: 'REGULAR',
    statement: 'All fines were paid on 2026-01-05.\nWe ask for repair.',
    submittedAt: '2026-05-01T02:30:00.000Z',
  },
  documents: [
    {
      documentType: 'REPAIR_APPLICATION',
      href: 'LINK/documents/EV1',
      fileName: 'application.pdf',
      contentType: 'application/pdf',
      size: 204800,
    },
    {
      documentType: 'TAX_PAID_PROOF',
      href: 'LINK/documents/EV2',
      fileName: 'receipt.png',
      contentType: 'image/png',
      size: 512,
    },
  ],
  nonce: 'nonce_0123456789abcdefABCDEF',
  ...overrides,
});

const inputs = (html: string): string[] => html.match(/<input\b[^>]*>/g) ?? [];

describe('review confirmation page', () => {
  it('is a complete bilingual document with the application summary and the party', () => {
    const html = renderConfirmationPage(model());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('信用修复联合审核');
    expect(html).toContain('Credit repair: interagency review');
    expect(html).toContain('Shenzhen Harbour Trading Co.');
    expect(html).toContain('1234567890');
    expect(html).toContain('01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(html).toContain('失信企业');
    expect(html).toContain('Dishonest Listing');
    expect(html).toContain('(DISHONEST)');
    expect(html).toContain('(REGULAR)');
    expect(html).toContain('税务部门');
    expect(html).toContain('Tax authority');
    expect(html).toContain('Wang Fang');
    // Times appear in the policy's zone: 02:30 UTC is 10:30 in Shanghai.
    expect(html).toContain('2026-05-01 10:30 (Asia/Shanghai)');
    expect(html).toContain('2026-07-01 00:00 (Asia/Shanghai)');
    expect(html).toContain('All fines were paid on 2026-01-05.\nWe ask for repair.');
  });

  it('lists every document with its bilingual type, name and size', () => {
    const html = renderConfirmationPage(model());
    expect(html).toContain('信用修复申请书');
    expect(html).toContain('Credit repair application');
    expect(html).toContain('application.pdf');
    expect(html).toContain('200.0 KB');
    expect(html).toContain('税款缴纳凭证');
    expect(html).toContain('receipt.png');
    expect(html).toContain('512 B');
    expect(html.match(/<tr>/g)).toHaveLength(3);
    // Each opens from the page, in a new window that learns nothing of the page.
    expect(html).toContain(
      '<a href="LINK/documents/EV1" target="_blank" rel="noopener noreferrer">application.pdf</a>',
    );
    expect(html).toContain(
      '<a href="LINK/documents/EV2" target="_blank" rel="noopener noreferrer">receipt.png</a>',
    );
  });

  it('says so when there are no documents', () => {
    const html = renderConfirmationPage(model({ documents: [] }));
    expect(html).toContain('(none)');
    expect(html).not.toContain('<table>');
  });

  it('has a plain POST form back to its own URL, with three decisions, a comment box and the nonce', () => {
    const html = renderConfirmationPage(model());
    const forms = html.match(/<form\b[^>]*>/g) ?? [];
    expect(forms).toHaveLength(1);
    expect(forms[0]).toContain('method="post"');
    expect(forms[0]).not.toContain('action=');
    const radios = inputs(html).filter((input) => input.includes('type="radio"'));
    expect(radios.map((radio) => /value="([^"]+)"/.exec(radio)?.[1])).toEqual([
      'APPROVE',
      'REJECT',
      'REQUEST_CHANGES',
    ]);
    for (const radio of radios) {
      expect(radio).toContain('name="decision"');
      expect(radio).toContain('required');
      expect(radio).not.toContain('checked');
    }
    expect(inputs(html)).toContainEqual(
      '<input type="hidden" name="nonce" value="nonce_0123456789abcdefABCDEF">',
    );
    expect(html).toMatch(/<textarea id="comment" name="comment" maxlength="4000"><\/textarea>/);
    expect(html).toMatch(/<button type="submit">/);
    expect(html).toContain('同意修复');
    expect(html).toContain('Request changes');
  });

  it('needs no script and loads nothing from elsewhere', () => {
    const html = renderConfirmationPage(model());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\bsrc=/i);
    // The only links are the documents', relative to the page (same origin).
    for (const [, href] of html.matchAll(/\bhref="([^"]*)"/gi))
      expect(href).toMatch(/^[\w-]+\/documents\/[\w-]+$/);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('escapes every value that came from a user', () => {
    const html = renderConfirmationPage(
      model({
        reviewerName: HOSTILE,
        application: {
          ...model().application,
          enterpriseName: HOSTILE,
          statement: HOSTILE,
        },
        documents: [
          {
            documentType: 'COMMITMENT_LETTER',
            href: 'LINK/documents/EV3',
            fileName: HOSTILE,
            contentType: 'application/pdf',
            size: 1,
          },
        ],
      }),
      { echo: { decision: 'REJECT', comment: `</textarea>${HOSTILE}` } },
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('</textarea><script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&quot;');
    // Once per place it is shown: reviewer (greeted by name in English only), enterprise,
    // statement, file, comment.
    expect(html.split('&lt;script&gt;').length - 1).toBe(5);
  });

  it('shows an error above the form and keeps what the reviewer entered', () => {
    const html = renderConfirmationPage(model(), {
      error: { message: { zh: '请填写驳回理由。', en: 'A reason is required to reject.' } },
      echo: { decision: 'REJECT', comment: 'draft note' },
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain('请填写驳回理由。');
    expect(html).toContain('A reason is required to reject.');
    const checked = inputs(html).filter((input) => input.includes('checked'));
    expect(checked).toHaveLength(1);
    expect(checked[0]).toContain('value="REJECT"');
    expect(html).toContain('>draft note</textarea>');
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('<form'));
    // The field at fault is marked, and names the announcement that explains it.
    expect(html).toMatch(
      /<textarea id="comment"[^>]* aria-required="true" aria-invalid="true" aria-describedby="form-error"/,
    );
    expect(html).toContain('<div id="form-error" class="notice error" role="alert">');
    expect(renderConfirmationPage(model())).not.toMatch(/<[a-z]+ [^>]*aria-invalid/);
    // The comment is required only with a decision that needs one; the decision always is.
    expect(renderConfirmationPage(model())).not.toMatch(/<textarea[^>]*aria-required/);
    expect(renderConfirmationPage(model())).toContain('<fieldset role="radiogroup" aria-required="true">');
  });

  it('shows the case: each cause with its date and policy, the facts it owns, the clock', () => {
    const html = renderConfirmationPage(
      model({
        case: {
          asOf: '2026-06-01',
          causes: [
            {
              code: 'FINE_ARREARS',
              tier: 'DISHONEST',
              determinedOn: '2025-10-02',
              policyId: 'GAC-251-2021',
              minimumMonths: 3,
              listingUntil: '2026-10-02',
              facts: [
                {
                  id: 'F1',
                  type: 'FINE',
                  amountFen: 12_345_67,
                  imposedOn: '2025-05-01',
                  dueOn: '2025-07-01',
                  paidOn: '2026-01-05',
                },
                { id: 'F2', type: 'FINE', amountFen: 100, imposedOn: '2025-05-02', dueOn: '2025-07-02' },
              ],
            },
          ],
          clockStart: '2026-01-05',
          earliestApplicationOn: '2026-04-05',
          minimumMonths: 3,
        },
      }),
    );
    expect(html).toContain('<h2><span lang="zh-CN">案件情况</span> / <span lang="en">The case</span></h2>');
    expect(html).toContain('欠缴罚款');
    expect(html).toContain('2025-10-02');
    expect(html).toContain('GAC-251-2021');
    expect(html).toContain('12345.67');
    expect(html).toContain('2026-01-05');
    expect(html).toContain('not paid');
    expect(html).toContain('2026-04-05');
    // The case comes before the documents and the form.
    expect(html.indexOf('The case')).toBeLessThan(html.indexOf('<form'));
    expect(renderConfirmationPage(model())).not.toContain('The case');
  });

  it('formats sizes in bytes, kilobytes and megabytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MB');
  });
});
