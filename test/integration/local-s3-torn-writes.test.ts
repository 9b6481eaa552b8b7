import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../local/services/s3.ts';

/**
 * Issue 13, D9: a write the local S3 did not finish (the client went away, or the process was
 * killed) must leave the key as it was: never a short object, never an empty metadata file that
 * makes every later read of the key fail. Here the client hangs up halfway through a PUT.
 */

const BUCKET = 'torn-writes';
let dir: string;
let s3: LocalS3;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-s3-torn-'));
  s3 = await startLocalS3({ directory: dir, bucket: BUCKET });
});

afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

/** A PUT that sends `sent` and then, when `declared` is longer, hangs up. */
function put(key: string, sent: string, declared = sent.length): Promise<number | 'hung up'> {
  return new Promise((resolve) => {
    const outgoing = request(
      `${s3.storeEndpoint}/${BUCKET}/${key}`,
      { method: 'PUT', headers: { 'content-length': String(declared), 'content-type': 'text/plain' } },
      (incoming) => {
        incoming.resume();
        resolve(incoming.statusCode ?? 0);
      },
    );
    outgoing.on('error', () => resolve('hung up'));
    outgoing.write(sent);
    if (declared === sent.length) outgoing.end();
    // Long enough for the server to have written what arrived.
    else setTimeout(() => outgoing.destroy(), 200);
  });
}

/** Waits until the server has seen the hang-up and given up on the write. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));

describe('the local S3', () => {
  it('keeps the previous object when an overwrite is cut short', async () => {
    expect(await put('kept.txt', 'the whole file')).toBe(200);
    expect(await put('kept.txt', 'half of a longer', 1000)).toBe('hung up');
    await settle();
    const read = await fetch(`${s3.storeEndpoint}/${BUCKET}/kept.txt`);
    expect(read.status).toBe(200);
    expect(await read.text()).toBe('the whole file');
  });

  it('shows no object, and leaves no file behind, when a first write is cut short', async () => {
    expect(await put('never.txt', 'half of a longer', 1000)).toBe('hung up');
    await settle();
    expect((await fetch(`${s3.storeEndpoint}/${BUCKET}/never.txt`, { method: 'HEAD' })).status).toBe(404);
    expect((await readdir(join(dir, BUCKET))).filter((name) => name.startsWith('never.txt'))).toEqual([]);
  });
});
