import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateIn } from '../../domain/dates.ts';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { RETENTION_DAYS } from '../../functions/ports/store/expiry.ts';
import { TABLE_SCHEMA } from '../../functions/ports/store/schema.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { send } from '../support/http-client.ts';
import { ReviewFlow } from '../support/review-flow.ts';

/**
 * The items that expire carry the table's TTL attribute (epoch seconds), written by the real code
 * paths over HTTP, the workflow and the sweep; every other item carries none. dynalite deletes
 * nothing: the code never relies on the deletion (functions/ports/store/expiry.ts).
 */

const TTL = TABLE_SCHEMA.ttlAttribute;
const DAY = 86_400;

let embedded: EmbeddedRuntime | undefined;
let runtime: Runtime;
let items: Record<string, unknown>[] = [];
let applicationId: string;

const epoch = (iso: string): number => Math.ceil(Date.parse(iso) / 1000);

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('expiring-items');
  runtime = embedded.runtime;
  const flow = new ReviewFlow(runtime, { prefix: 'TTLX' });
  ({ id: applicationId } = await flow.applicationUnderReview());
  // Day 11 of the review: the reminders are sweep duties claimed in the application's partition;
  // the enterprise's eligibility notice is one in the enterprise's.
  const later = addDays(localDateIn(runtime.clock.now()), 11);
  const moved = await send(runtime.url, 'POST', '/_local/clock', { json: { now: `${later}T02:00:00.000Z` } });
  expect(moved.status).toBe(200);
  await runtime.runSweep();
  const out = await documentClient().send(new ScanCommand({ TableName: process.env.TABLE_NAME }));
  items = (out.Items ?? []) as Record<string, unknown>[];
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
});

const where = (pk: RegExp, sk: RegExp): Record<string, unknown>[] =>
  items.filter((item) => pk.test(String(item.pk)) && sk.test(String(item.sk)));

describe('expiring items', () => {
  it('Powertools idempotency records expire with their 24 hours', () => {
    const records = where(/^IDEMPOTENCY#/, /./);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record[TTL]).toEqual(expect.any(Number));
  });

  it('review links expire a year after the link itself', () => {
    const links = where(/^LINK#/, /^LINK$/);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) {
      expect(link[TTL]).toBe(epoch(String(link.expiresAt)) + RETENTION_DAYS.reviewLink * DAY);
    }
  });

  it('task tokens expire after the longest a Standard execution can live', () => {
    const tokens = where(new RegExp(`^APP#${applicationId}$`), /^STEP#TaskToken\./);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    for (const token of tokens) {
      expect(token[TTL]).toBe(epoch(String(token.storedAt)) + RETENTION_DAYS.taskToken * DAY);
    }
  });

  it("an application's duty claims expire; an enterprise's never do", () => {
    const applicationClaims = where(/^APP#/, /^DUTY#/);
    expect(applicationClaims.length).toBeGreaterThan(0);
    for (const claim of applicationClaims) expect(claim[TTL]).toEqual(expect.any(Number));
    const enterpriseClaims = where(/^ENT#/, /^DUTY#/);
    expect(enterpriseClaims.length).toBeGreaterThan(0);
    for (const claim of enterpriseClaims) expect(claim[TTL]).toBeUndefined();
  });

  it("a round's list of issued links expires a year after the first link it lists", () => {
    const lists = where(new RegExp(`^APP#${applicationId}$`), /^LINKS#/);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const list of lists) expect(list[TTL]).toEqual(expect.any(Number));
  });

  it('nothing else expires: applications, memos, events, enterprises and the directory stay', () => {
    const expiring = /^(IDEMPOTENCY#|LINK#)|^APP#.*(STEP#TaskToken\.|DUTY#|LINKS#)/;
    const others = items.filter((item) => !expiring.test(`${String(item.pk)}${String(item.sk)}`));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((item) => item[TTL] !== undefined)).toEqual([]);
  });
});
