import type { DynamoDbStore } from '../../../functions/adapters/dynamodb/store.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setSharedMailer } from '../../../functions/composition/mailer.ts';
import { MAIL_ENV } from '../../../functions/ports/mailer.ts';
import { TABLE_NAME_ENV } from '../../../functions/ports/store/schema.ts';
import { REVIEW_BASE_URL_ENV, workflowContext } from '../../../functions/workflow/context.ts';

/**
 * The task context reads each setting only when a step uses it, so a task deployed with just the
 * table (infra/function-access.ts: tally, recordOutcome, ...) runs without the mail settings or
 * the review base URL, and a missing setting still fails loudly where it is needed.
 */

const VARIABLES = [
  TABLE_NAME_ENV,
  REVIEW_BASE_URL_ENV,
  MAIL_ENV.sender,
  MAIL_ENV.sesConfigurationSet,
  MAIL_ENV.outboxDir,
  MAIL_ENV.smtpUrl,
] as const;
const saved = new Map(VARIABLES.map((name) => [name, process.env[name]]));

beforeEach(() => {
  for (const name of VARIABLES) delete process.env[name];
  process.env[TABLE_NAME_ENV] = 'credit-repair-test';
  setSharedMailer(undefined);
});

afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  setSharedMailer(undefined);
});

describe('the workflow task context', () => {
  it('is built from the table alone', () => {
    const ctx = workflowContext();
    expect((ctx.store as DynamoDbStore).tableName).toBe('credit-repair-test');
    expect(ctx.now()).toBeInstanceOf(Date);
  });

  it('reads the review base URL when a step asks for it, naming the variable when it is missing', () => {
    const ctx = workflowContext();
    expect(() => ctx.reviewBaseUrl).toThrow(REVIEW_BASE_URL_ENV);
    process.env[REVIEW_BASE_URL_ENV] = 'https://review.example.cn';
    expect(ctx.reviewBaseUrl).toBe('https://review.example.cn');
  });

  it('builds the mailer when a step sends, which on AWS needs the sender address', () => {
    const ctx = workflowContext();
    expect(() => ctx.mailer).toThrow(MAIL_ENV.sender);
    process.env[MAIL_ENV.sender] = 'credit-repair@customs.example.cn';
    expect(typeof ctx.mailer.send).toBe('function');
    expect(ctx.mailer).toBe(ctx.mailer);
  });
});
