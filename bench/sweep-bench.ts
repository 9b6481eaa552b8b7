import { randomUUID } from 'node:crypto';
import { createLogger } from '../functions/observability/logger.ts';
import type { Mailer } from '../functions/ports/mailer.ts';
import { createTable } from '../functions/adapters/dynamodb/create-table.ts';
import type { SweepCounts } from '../functions/usecases/sweep/counts.ts';
import { runSweep } from '../functions/usecases/sweep/run.ts';
import { memoryPorts } from '../test/support/memory-ports.ts';
import { startDynalite, storeOn } from '../test/support/dynalite.ts';
import type { BenchLine } from './line.ts';
import { scanDueItems } from './scan-baseline.ts';
import { seedDueEnterprises, seedIdleEnterprises } from './seed.ts';

/**
 * Sweep read units at several table sizes with the same 50 due enterprises, against a Scan-based
 * sweep over an identical table in the same run. Both do the same per-item work; only how they
 * find the due items differs.
 */

const DUE = 50;
const NOTICE_ON = '2026-07-01';

/** Counts messages instead of sending them: the bench measures reads, not mail. */
const countingMailer = (): Mailer & { sent: number } => {
  const mailer = {
    sent: 0,
    send: () => {
      mailer.sent += 1;
      return Promise.resolve({ messageId: String(mailer.sent) });
    },
  };
  return mailer;
};

async function sweepTable(enterprises: number, source: 'index' | 'scan'): Promise<SweepCounts> {
  const db = await startDynalite();
  try {
    const tableName = `bench-${source}-${randomUUID().slice(0, 8)}`;
    await createTable(db.client, tableName, { pollMs: 5 });
    const store = storeOn(db.doc, tableName);
    await seedIdleEnterprises(db.doc, tableName, enterprises - DUE, '2026-01-01T00:00:00.000Z');
    await seedDueEnterprises(store, DUE, NOTICE_ON);
    const mailer = countingMailer();
    const counts = await runSweep(
      { ...memoryPorts(`${NOTICE_ON}T02:00:00.000Z`), store, mailer },
      {
        log: createLogger({ logLevel: 'SILENT' }),
        ...(source === 'scan' ? { dueItems: scanDueItems(db.doc, tableName) } : {}),
      },
    );
    if (counts.certificationNotices !== DUE || mailer.sent !== DUE || counts.failed !== 0) {
      throw new Error(`the ${source} sweep did not do the ${DUE} duties: ${JSON.stringify(counts)}`);
    }
    return counts;
  } finally {
    await db.stop();
  }
}

export async function* sweepBench(options: { quick: boolean }): AsyncIterable<BenchLine> {
  const sizes = options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  for (const enterprises of sizes) {
    const indexed = await sweepTable(enterprises, 'index');
    const scanned = await sweepTable(enterprises, 'scan');
    yield {
      name: 'sweep.readUnits',
      value: indexed.readUnits,
      unit: 'RCU',
      baseline: scanned.readUnits,
      ratio: Number((scanned.readUnits / indexed.readUnits).toFixed(2)),
      params: { enterprises, due: DUE, baseline: 'Scan of the table for dueOn <= today' },
    };
    yield {
      name: 'sweep.itemsRead',
      value: indexed.itemsRead,
      unit: 'items',
      params: { enterprises, due: DUE },
    };
  }
}
