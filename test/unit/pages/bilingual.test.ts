import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../functions/pages/html-escape.ts';
import { extractLinks } from '../../../functions/adapters/outbox/mailer.ts';
import { composeBilingual } from '../../../functions/pages/email/bilingual.ts';

describe('escapeHtml', () => {
  it('escapes every character that can open markup or an attribute', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;',
    );
    expect(escapeHtml('信用修复 credit repair')).toBe('信用修复 credit repair');
  });
});

describe('composeBilingual', () => {
  const email = composeBilingual({
    subject: { zh: '请审核信用修复申请', en: 'Please review a credit repair application' },
    paragraphs: [
      {
        zh: '企业 <b>恶意</b> 公司 申请信用修复。',
        en: 'Enterprise <b>Evil</b> & Co applies for credit repair.',
      },
    ],
    actions: [
      {
        label: { zh: '打开审核页面', en: 'Open the review page' },
        url: 'https://example.test/review/abc?x=1&y=2',
      },
    ],
  });

  it('puts both languages in the subject, Chinese first', () => {
    expect(email.subject).toBe('请审核信用修复申请 / Please review a credit repair application');
  });

  it('carries both languages in the text part, Chinese before English, with the link as a plain URL', () => {
    const zh = email.text.indexOf('企业');
    const en = email.text.indexOf('Enterprise');
    expect(zh).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(zh);
    expect(email.text).toContain('打开审核页面: https://example.test/review/abc?x=1&y=2');
    expect(email.text).toContain('Open the review page: https://example.test/review/abc?x=1&y=2');
    // The text part is not HTML: nothing is escaped there.
    expect(email.text).toContain('<b>Evil</b> & Co');
  });

  it('escapes dynamic text and URLs in the HTML part', () => {
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;b&gt;Evil&lt;/b&gt; &amp; Co');
    expect(email.html).toContain('href="https://example.test/review/abc?x=1&amp;y=2"');
    expect(email.html).toContain('lang="zh-CN"');
    expect(email.html).toContain('lang="en"');
  });

  it('refuses links that are not http(s)', () => {
    expect(() =>
      composeBilingual({
        subject: { zh: 'x', en: 'x' },
        paragraphs: [],
        actions: [{ label: { zh: 'x', en: 'x' }, url: 'javascript:alert(1)' }],
      }),
    ).toThrow(/http/);
  });

  it('keeps the subject on one line', () => {
    const composed = composeBilingual({ subject: { zh: '一\n二', en: 'one\r\ntwo' }, paragraphs: [] });
    expect(composed.subject).not.toMatch(/[\r\n]/);
  });
});

describe('extractLinks', () => {
  it('finds every http(s) URL once, in order, without trailing punctuation', () => {
    const text =
      'See https://a.test/review/1. Then (https://b.test/x?y=1), again https://a.test/review/1 and 请看 http://c.test/z。 mailto:x@y.test';
    expect(extractLinks(text)).toEqual([
      'https://a.test/review/1',
      'https://b.test/x?y=1',
      'http://c.test/z',
    ]);
  });

  it('finds the links of a composed email', () => {
    const { text } = composeBilingual({
      subject: { zh: 'a', en: 'a' },
      paragraphs: [{ zh: '请审核', en: 'Please review' }],
      actions: [{ label: { zh: '审核', en: 'Review' }, url: 'http://127.0.0.1:3000/review/AbC_-1' }],
    });
    expect(extractLinks(text)).toEqual(['http://127.0.0.1:3000/review/AbC_-1']);
  });
});
