import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../functions/adapters/dynamodb/client.ts';
import { IDEMPOTENCY_PARTITION } from '../../../functions/composition/idempotency.ts';
import { TABLE_NAME_ENV } from '../../../functions/composition/environment.ts';

/**
 * Everything a request could change in the embedded runtime, as one comparable value: every table
 * item (hashed, by key), the outbox's messages and the size of the events file. Idempotency
 * records are left out: CONTRACT.md has a refused POST /applications store its answer for replay.
 * The simulated clock is left out too: it passes by itself.
 */

export type StateDigest = ReadonlyMap<string, string>;

const hash = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export async function stateDigest(dataDir: string): Promise<StateDigest> {
  const digest = new Map<string, string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({
        TableName: process.env[TABLE_NAME_ENV],
        ConsistentRead: true,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.pk === IDEMPOTENCY_PARTITION) continue;
      digest.set(`item ${String(item.pk)} ${String(item.sk)}`, hash(item));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  let outbox: string[] = [];
  try {
    outbox = (await readdir(join(dataDir, 'outbox'))).filter((name) => name.endsWith('.json'));
  } catch {
    // no mail yet
  }
  for (const name of outbox) digest.set(`outbox ${name}`, '');
  try {
    digest.set('events.jsonl', String((await stat(join(dataDir, 'events.jsonl'))).size));
  } catch {
    // no event yet
  }
  return digest;
}

/** What differs between two digests: keys added, removed or changed (the first few of each). */
export function digestDiff(before: StateDigest, after: StateDigest): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) changes.push(`+ ${key}`);
    else if (before.get(key) !== value) changes.push(`~ ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`- ${key}`);
  return changes.slice(0, 8);
}

/**
 * The digest once the runtime stopped moving (a successful request may have started work that goes
 * on after its answer: a workflow step, an email): two reads in a row that agree.
 */
export async function settledDigest(dataDir: string, timeoutMs = 10_000): Promise<StateDigest> {
  const deadline = Date.now() + timeoutMs;
  let previous = await stateDigest(dataDir);
  for (;;) {
    await sleep(100);
    const current = await stateDigest(dataDir);
    if (digestDiff(previous, current).length === 0) return current;
    if (Date.now() > deadline) throw new Error('the runtime kept changing its state without requests');
    previous = current;
  }
}
