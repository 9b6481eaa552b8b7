import { describe, expect, it } from 'vitest';
import {
  GONE_REASONS,
  renderAlreadyUsedPage,
  renderDecisionRecordedPage,
  renderGonePage,
  renderInvalidFormPage,
  renderNotFoundPage,
  renderStaleFormPage,
  type RecordedDecision,
} from '../../../functions/pages/review/results.ts';

const recorded: RecordedDecision = {
  party: 'MARKET_REGULATION',
  decision: 'REQUEST_CHANGES',
  decidedAt: '2026-05-03T08:05:00.000Z',
  comment: 'Please add the <b>stamped</b> receipt.',
  applicationId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
};

describe('review result pages', () => {
  it('the recorded page confirms the decision with its details, escaped', () => {
    const html = renderDecisionRecordedPage(recorded);
    expect(html).toContain('审核决定已提交');
    expect(html).toContain('Decision recorded');
    expect(html).toContain('市场监督管理部门');
    expect(html).toContain('要求补正材料');
    expect(html).toContain('Request changes');
    expect(html).toContain('2026-05-03 16:05 (Asia/Shanghai)');
    expect(html).toContain('Please add the &lt;b&gt;stamped&lt;/b&gt; receipt.');
    expect(html).toContain('01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(html).not.toContain('<form');
  });

  it('the already-used page shows the decision on record, not a form', () => {
    const html = renderAlreadyUsedPage({
      party: recorded.party,
      decidedAt: recorded.decidedAt,
      applicationId: recorded.applicationId,
      decision: 'APPROVE',
    });
    expect(html).toContain('该链接已使用');
    expect(html).toContain('already been used');
    expect(html).toContain('同意修复');
    expect(html).toContain('Approve');
    expect(html).not.toContain('意见</span>');
    expect(html).not.toContain('<form');
  });

  it('each gone reason has its own bilingual explanation', () => {
    const pages = GONE_REASONS.map((reason) => renderGonePage(reason));
    expect(new Set(pages).size).toBe(GONE_REASONS.length);
    for (const html of pages) {
      expect(html).toContain('该链接已失效');
      expect(html).toContain('This link no longer works');
      expect(html).not.toContain('<form');
      // The reviewer came to decide and cannot: announced at once.
      expect(html).toContain('role="alert"');
    }
    expect(renderGonePage('WITHDRAWN')).toContain('withdrew');
    expect(renderGonePage('EXPIRED')).toContain('expired');
    expect(renderGonePage('SUPERSEDED')).toContain('replaced by a newer one');
  });

  it('not found, stale form and invalid form pages record nothing and say so', () => {
    expect(renderNotFoundPage()).toContain('No review link matches');
    for (const html of [renderNotFoundPage(), renderStaleFormPage(), renderInvalidFormPage()]) {
      expect(html).toContain('role="alert"');
    }
    const stale = renderStaleFormPage();
    expect(stale).toContain('nothing was recorded');
    expect(stale).toContain('<a href="">');
    const invalid = renderInvalidFormPage(['decision: Invalid option', '<img src=x>']);
    expect(invalid).toContain('<li>decision: Invalid option</li>');
    expect(invalid).toContain('<li>&lt;img src=x&gt;</li>');
  });

  it('no page carries a script', () => {
    for (const html of [
      renderDecisionRecordedPage(recorded),
      renderAlreadyUsedPage(recorded),
      renderGonePage('CLOSED'),
      renderNotFoundPage(),
      renderStaleFormPage(),
      renderInvalidFormPage(),
    ]) {
      expect(html).not.toMatch(/<script/i);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    }
  });
});
