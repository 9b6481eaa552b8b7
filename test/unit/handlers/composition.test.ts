import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb/store.ts';
import { MemoryMailer } from '../../../functions/adapters/memory/mailer.ts';
import { MemoryStore } from '../../../functions/adapters/memory/store.ts';
import { clock } from '../../../functions/composition/clock.ts';
import {
  EVENT_BUS_NAME_ENV,
  EVIDENCE_BUCKET_ENV,
  MAIL_ENV,
  STATE_MACHINE_ARN_ENV,
  REVIEW_BASE_URL_ENV,
  reviewBaseUrl,
  SMTP_SECRET_ARN_ENV,
  TABLE_NAME_ENV,
} from '../../../functions/composition/environment.ts';
import { installPorts } from '../../../functions/composition/installed.ts';
import { evidenceStore } from '../../../functions/composition/evidence.ts';
import { listingEvents } from '../../../functions/composition/events.ts';
import { mailer } from '../../../functions/composition/mailer.ts';
import { workflow } from '../../../functions/composition/workflow.ts';
import { store } from '../../../functions/composition/store.ts';

/**
 * The Lambda composition builds a port from the environment when a handler asks for it, so a task
 * deployed with just the table (infra/function-access.ts: tally, recordOutcome, ...) never needs
 * the mail settings or the review base URL, and a missing setting fails loudly where it is needed.
 * What the host installed comes first.
 */

const VARIABLES = [
  TABLE_NAME_ENV,
  STATE_MACHINE_ARN_ENV,
  EVIDENCE_BUCKET_ENV,
  EVENT_BUS_NAME_ENV,
  REVIEW_BASE_URL_ENV,
  MAIL_ENV.sender,
  MAIL_ENV.sesConfigurationSet,
  SMTP_SECRET_ARN_ENV,
] as const;
const saved = new Map(VARIABLES.map((name) => [name, process.env[name]]));
let uninstall: () => void = () => {};

beforeEach(() => {
  for (const name of VARIABLES) delete process.env[name];
});

afterEach(() => {
  uninstall();
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('the Lambda composition', () => {
  it('builds the store from TABLE_NAME, naming the variable when it is missing', () => {
    expect(() => store()).toThrow(TABLE_NAME_ENV);
    process.env[TABLE_NAME_ENV] = 'credit-repair-test';
    const built = store();
    expect(built).toBeInstanceOf(DynamoDbStore);
    expect((built as DynamoDbStore).tableName).toBe('credit-repair-test');
    expect(store()).toBe(built);
    process.env[TABLE_NAME_ENV] = 'credit-repair-other';
    expect((store() as DynamoDbStore).tableName).toBe('credit-repair-other');
  });

  it('reads the review base URL only when asked, naming the variable when it is missing', () => {
    expect(() => reviewBaseUrl()).toThrow(REVIEW_BASE_URL_ENV);
    process.env[REVIEW_BASE_URL_ENV] = 'https://review.example.cn';
    expect(reviewBaseUrl()).toBe('https://review.example.cn');
  });

  it('builds the mailer when a handler sends, which on AWS needs the sender address', async () => {
    const message = { to: ['r@example.cn'], subject: 's', text: 't', html: '<p>t</p>' };
    expect(mailer()).toBe(mailer());
    await expect(mailer().send(message)).rejects.toThrow(MAIL_ENV.sender);
  });

  it('names the state machine, the bus and the bucket only when a call needs them', async () => {
    await expect(workflow().status('APP-1')).rejects.toThrow(STATE_MACHINE_ARN_ENV);
    await expect(evidenceStore().inspect('applications/A/E/f.pdf')).rejects.toThrow(EVIDENCE_BUCKET_ENV);
    await expect(
      listingEvents().publishListingChanged({
        enterpriseId: 'ACME000001',
        fromTier: 'DISHONEST',
        toTier: 'REGULAR',
        reason: 'REPAIRED',
        effectiveOn: '2026-05-01',
        policyId: 'GAC-282-2026',
        changeId: 'x',
      }),
    ).rejects.toThrow(EVENT_BUS_NAME_ENV);
  });

  it('gives what the host installed first, and builds from the environment again once it is removed', () => {
    process.env[TABLE_NAME_ENV] = 'credit-repair-test';
    const installed = { store: new MemoryStore({ clock: clock() }), mailer: new MemoryMailer() };
    uninstall = installPorts(installed);
    expect(store()).toBe(installed.store);
    expect(mailer()).toBe(installed.mailer);
    uninstall();
    expect(mailer()).not.toBe(installed.mailer);
    expect(store()).toBeInstanceOf(DynamoDbStore);
  });
});
