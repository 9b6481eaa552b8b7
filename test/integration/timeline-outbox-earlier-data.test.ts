import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/client.ts';
import { requiredEnv, TABLE_NAME_ENV } from '../../functions/composition/environment.ts';
import { store } from '../../functions/composition/store.ts';
import { keys } from '../../functions/ports/store/keys.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { applicantToken, callAs, type Caller } from '../support/review-flow.ts';

/**
 * The application item's outbox (docs/data-model.md): items written before it carry their last
 * change's timeline entry as `lastEvent`, one entry, where the current code writes `lastEvents`.
 * On a copy of the folder main wrote at 2f9d549, an application whose last entry never reached the
 * timeline (what a crash between that commit's state write and its append leaves) still shows it,
 * and the next change appends it before recording its own, in the new shape.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const FOLDER = 'data-2f9d549';

interface TimelineEntryView {
  readonly type: string;
  readonly at: string;
}

let runtime: Runtime;
let dataDir = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), `${FOLDER}-outbox-`));
  await cp(join(FIXTURES, FOLDER), dataDir, { recursive: true });
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, demo: true, sweepIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await runtime?.stop();
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

describe(`an application item of ${FOLDER} (one staged entry, as lastEvent)`, () => {
  it('shows its last entry lost before the append, and the next change appends it', async () => {
    const manifest = JSON.parse(await readFile(join(FIXTURES, FOLDER, 'fixture.json'), 'utf8')) as {
      awaitingEvidence: { enterpriseId: string; applicationId: string };
    };
    const { enterpriseId, applicationId } = manifest.awaitingEvidence;
    const key = keys.application(applicationId);
    const before = await store().get(key);
    // The shape that commit wrote: one entry, no outbox list.
    expect(before).toHaveProperty('lastEvent');
    expect(before).not.toHaveProperty('lastEvents');
    const lost = before?.lastEvent as { sk: string; type: string };

    // As if that commit's process died between its state write and the entry's append.
    await documentClient().send(
      new DeleteCommand({ TableName: requiredEnv(TABLE_NAME_ENV), Key: { pk: key.pk, sk: lost.sk } }),
    );
    expect(await store().get({ pk: key.pk, sk: lost.sk })).toBeUndefined();

    const applicant: Caller = {
      baseUrl: runtime.url,
      token: await applicantToken(runtime.url, enterpriseId),
    };
    const view = await callAs(applicant, 'GET', `/applications/${applicationId}`);
    expect(view.status, view.text).toBe(200);
    const shown = (view.body.timeline as TimelineEntryView[]).map((entry) => entry.type);
    expect(shown.at(-1)).toBe(lost.type);

    const withdrawn = await callAs(applicant, 'POST', `/applications/${applicationId}/withdraw`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    // The lost entry is on the timeline now, before the withdrawal's own.
    expect(await store().get({ pk: key.pk, sk: lost.sk })).toMatchObject({ type: lost.type });
    const after = await store().get(key);
    expect(after).not.toHaveProperty('lastEvent');
    expect((after?.lastEvents as { type: string }[]).map((entry) => entry.type)).toEqual(['WITHDRAWN']);
    const timeline = (
      (await callAs(applicant, 'GET', `/applications/${applicationId}`)).body.timeline as TimelineEntryView[]
    ).map((entry) => entry.type);
    expect(timeline.slice(-2)).toEqual([lost.type, 'WITHDRAWN']);
    expect(timeline.filter((type) => type === lost.type)).toHaveLength(
      shown.filter((t) => t === lost.type).length,
    );
  });
});
