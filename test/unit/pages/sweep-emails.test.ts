import { describe, expect, it } from 'vitest';
import { arrearsDeterminedEmail } from '../../../functions/pages/email/sweep-emails.ts';

const to = { id: 'ACME000001', name: 'Acme Trading' };
const cause = { code: 'TAX_ARREARS', determinedOn: '2026-06-29', tier: 'DISHONEST' } as const;
const text = (email: ReturnType<typeof arrearsDeterminedEmail>): string =>
  email.paragraphs.map((p) => `${p.zh}\n${p.en}`).join('\n');

describe('the arrears determination notice', () => {
  it('asks an enterprise with the debt unpaid to pay, in both languages', () => {
    const body = text(arrearsDeterminedEmail(to, cause));
    expect(body).toContain('2026-06-29');
    expect(body).toContain('缴清欠款后即可开始信用修复期');
    expect(body).toContain('Once the amount is paid');
  });

  it('tells an enterprise whose old debt is already paid when its rectification period started', () => {
    const body = text(arrearsDeterminedEmail(to, { ...cause, rectifiedOn: '2026-07-29' }));
    expect(body).toContain('已于 2026-07-29 缴清');
    expect(body).toContain('The amount was paid on 2026-07-29');
    expect(body).not.toContain('Once the amount is paid');
  });
});
