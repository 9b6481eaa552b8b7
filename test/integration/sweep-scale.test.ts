import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../functions/observability/logger.ts';
import type { Mailer, MailMessage } from '../../functions/ports/mailer.ts';
import { type Store } from '../../functions/ports/store/store.ts';
import { runSweep } from '../../functions/usecases/sweep/run.ts';
import { memoryPorts } from '../support/memory-ports.ts';
import { seedDueEnterprises, seedIdleEnterprises } from '../../bench/seed.ts';
import { startDynalite, type RunningDynalite, storeOn } from '../support/dynalite.ts';

/**
 * The sweep's cost follows what is due, not the size of the table (DESIGN.md principle 4): with
 * 20,000 enterprises of which 50 are due, it reads about 50 items. Asserted on the read units
 * DynamoDB reports (ReturnConsumedCapacity), never on time.
 */

const ENTERPRISES = 20_000;
const DUE = 50;
const NOTICE_ON = '2026-07-01';

let db: RunningDynalite;
let store: Store;

beforeAll(async () => {
  db = await startDynalite();
  store = storeOn(db.doc, db.tableName);
  await seedIdleEnterprises(db.doc, db.tableName, ENTERPRISES - DUE, '2026-01-01T00:00:00.000Z');
  await seedDueEnterprises(store, DUE, NOTICE_ON);
}, 120_000);

afterAll(async () => {
  await db.stop();
});

describe('a sweep over 20,000 enterprises with 50 due', () => {
  it('reads on the order of the 50 due items, far below a scan of the table', async () => {
    const sent: MailMessage[] = [];
    const mailer: Mailer = {
      send: async (message) => (sent.push(message), { messageId: String(sent.length) }),
    };
    const counts = await runSweep(
      { ...memoryPorts(`${NOTICE_ON}T02:00:00.000Z`), store, mailer },
      { log: createLogger({ logLevel: 'SILENT' }) },
    );

    expect(counts).toMatchObject({ certificationNotices: DUE, failed: 0, itemsRead: DUE });
    expect(sent).toHaveLength(DUE);
    // Per due item: its share of the index page, the enterprise partition, its duty records.
    expect(counts.readUnits).toBeGreaterThan(0);
    expect(counts.readUnits).toBeLessThanOrEqual(DUE * 4);

    let scanUnits = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.doc.send(
        new ScanCommand({
          TableName: db.tableName,
          ReturnConsumedCapacity: 'TOTAL',
          ExclusiveStartKey: startKey,
        }),
      );
      scanUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // A scan bills every item of the table; at 20,000 small items that is several times the sweep.
    expect(counts.readUnits * 5).toBeLessThan(scanUnits);
  });
});
