import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/ports/store/keys.ts';
import type { Store, StoredItem } from '../../functions/ports/store/store.ts';
import { setExecutionName } from '../../functions/usecases/applications/records.ts';
import { readTaskToken, storeTaskToken } from '../../functions/usecases/applications/task-tokens.ts';
import { LOCAL_TABLE_NAME } from '../../local/runtime.ts';
import { startDynalite, storeOn, type RunningDynalite } from '../support/dynalite.ts';

/**
 * Token items written by 2f9d549 name no execution. On a copy of that data folder, the waiting
 * application's token item is replaced by its recorded execution's task and by the one a restart
 * records, and a replaced execution's task keeps nothing.
 */

const FIXTURE = fileURLToPath(new URL('../fixtures/data-2f9d549/', import.meta.url));
const AT = '2026-12-06T03:00:00.000Z';
const SLOT = { task: 'AwaitEvidence' } as const;

describe('task token items of a data folder written by 2f9d549', () => {
  let dataDir: string;
  let dynalite: RunningDynalite;
  let store: Store;
  let applicationId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'task-tokens-2f9d549-'));
    await cp(FIXTURE, dataDir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dataDir, 'fixture.json'), 'utf8')) as {
      awaitingEvidence: { applicationId: string };
    };
    applicationId = manifest.awaitingEvidence.applicationId;
    dynalite = await startDynalite({ path: join(dataDir, 'dynamodb'), tableName: LOCAL_TABLE_NAME });
    store = storeOn(dynalite.doc, LOCAL_TABLE_NAME);
  });
  afterAll(async () => {
    await dynalite.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('replaces a token item that names no execution, and keeps the restarted execution’s', async () => {
    const stored = await readTaskToken(store, applicationId, SLOT, 1);
    expect(stored).toBeDefined();
    const item = await store.get<StoredItem>(keys.step(applicationId, 'TaskToken.AwaitEvidence', 1));
    expect(item).not.toHaveProperty('executionName');
    const application = await store.get<StoredItem & { executionName?: string }>(
      keys.application(applicationId),
    );
    const first = application?.executionName ?? applicationId;

    // A restart records a new execution; its task replaces the token the folder holds.
    await setExecutionName(store, applicationId, `${first}-restarted`);
    expect(
      await storeTaskToken(store, applicationId, SLOT, 1, 'token-restarted', AT, `${first}-restarted`),
    ).toBe('stored');
    expect(await readTaskToken(store, applicationId, SLOT, 1)).toBe('token-restarted');
    // The execution the folder recorded, run again, keeps nothing.
    expect(await storeTaskToken(store, applicationId, SLOT, 1, 'token-old', AT, first)).toBe('stale');
    expect(await readTaskToken(store, applicationId, SLOT, 1)).toBe('token-restarted');
  });
});
