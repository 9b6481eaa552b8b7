import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, localDateIn } from '../../domain/dates.ts';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { TABLE_NAME_ENV } from '../../functions/composition/environment.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { sweepFunctionNameFor } from '../../workflows/sweep.ts';
import { dueProfileItems, writeBatches } from '../../bench/seed.ts';
import { send } from '../support/http-client.ts';

/**
 * Every handler of the embedded runtime shares one process and one logger, as invocations of a
 * Lambda function running several at once do. Each log line must still carry the context of the
 * invocation that wrote it: the sweep's pages, run while API requests are served beside them,
 * name the sweep function and a request of their own, never an API function.
 */

const DUE = 24;

let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'invocation-logs-'));
  runtime = await startRuntime({
    dataDir,
    port: 0,
    quiet: true,
    // Only the items seeded here fall due.
    demo: false,
    sweepIntervalMs: 3_600_000,
    sweepPages: { pageSize: 2, pagesPerPlan: 4 },
  });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface LogLine {
  readonly message?: string;
  readonly function_name?: string;
  readonly function_request_id?: string;
}

describe('log lines under the embedded runtime', () => {
  it('carry the Lambda context of the invocation that wrote them, whatever ran beside it', async () => {
    const day = addDays(localDateIn(runtime.clock.now()), 1);
    const table = process.env[TABLE_NAME_ENV] ?? '';
    await writeBatches(documentClient(), table, dueProfileItems(DUE, day, 'LOGS'));
    await runtime.clock.moveTo(new Date(`${day}T02:00:00.000Z`));

    const lines: LogLine[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      for (const text of String(chunk).split('\n')) {
        if (text.startsWith('{')) {
          try {
            lines.push(JSON.parse(text) as LogLine);
            continue;
          } catch {
            // not a log line
          }
        }
      }
      return write(chunk as string, ...(rest as []));
    });
    try {
      let sweeping = true;
      const sweep = runtime.runSweep().finally(() => (sweeping = false));
      // API requests all along: each sets its own function's context on the shared logger.
      const requests = Array.from({ length: 4 }, async () => {
        while (sweeping) expect((await send(runtime.url, 'GET', '/health')).status).toBe(200);
      });
      const [counts] = await Promise.all([sweep, ...requests]);
      expect(counts.certificationNotices).toBe(DUE);
    } finally {
      spy.mockRestore();
    }

    const pages = lines.filter((line) => line.message === 'sweep page finished');
    expect(pages).toHaveLength(DUE / 2);
    for (const line of pages) expect(line.function_name).toBe(sweepFunctionNameFor());
    // One invocation each.
    expect(new Set(pages.map((line) => line.function_request_id)).size).toBe(pages.length);
  });
});
