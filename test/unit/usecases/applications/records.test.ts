import { beforeAll, describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../../domain/errors.ts';
import { listApplications } from '../../../../functions/usecases/applications/list.ts';
import {
  changeApplication,
  closeOutApplication,
  requireApplication,
} from '../../../../functions/usecases/applications/records.ts';
import {
  readTaskToken,
  storeTaskToken,
  mirroredTaskToken,
} from '../../../../functions/usecases/applications/task-tokens.ts';
import {
  applicationView,
  createdApplicationView,
  loadApplicationPartition,
  requireApplicationView,
  type ApplicationPartition,
} from '../../../../functions/usecases/applications/view.ts';
import { resolveEvidenceWait } from '../../../../functions/usecases/applications/waits.ts';
import { keys } from '../../../../functions/ports/store/keys.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';
import { apply, DOCUMENTS, submitted } from '../support.ts';

/** The application item, its timeline, task tokens and listings, on the in-memory store. */

const AT = '2026-05-04T02:00:00.000Z';
const ports = memoryPorts(AT);
const { store } = ports;

const viewOf = (partition: ApplicationPartition | undefined) => {
  if (partition === undefined) throw new Error('no application');
  return applicationView(partition, partition.record.state.coveredCauseIds ?? []);
};

describe('the application item', () => {
  it('keeps the lifecycle state, its indexes and the evidence deadline in the due index', async () => {
    await submitted(ports, 'APP-DUE', AT);
    const item = await store.get(keys.application('APP-DUE'));
    expect(item).toMatchObject({
      version: 1,
      gsi1pk: 'ENT#ENT0000001',
      gsi2pk: 'APPSTATUS#AWAITING_EVIDENCE',
      // Evidence is accepted through 2026-06-03 (day 30); the expiry is due on day 31.
      dueOn: '2026-06-04',
      state: { status: 'AWAITING_EVIDENCE', round: 1 },
    });
    for (const documentType of DOCUMENTS) {
      await apply(ports, 'APP-DUE', {
        type: 'EVIDENCE_UPLOADED',
        at: AT,
        documentType,
        evidenceId: `E-${documentType}`,
      });
    }
    await apply(ports, 'APP-DUE', { type: 'EVIDENCE_SUBMITTED', at: AT });
    // Under review with no round open yet, nothing waits on time: the item leaves the due index.
    const reviewed = await store.get(keys.application('APP-DUE'));
    expect(reviewed).toMatchObject({ gsi2pk: 'APPSTATUS#UNDER_REVIEW', version: 5 });
    expect(reviewed?.dueOn).toBeUndefined();
    await apply(ports, 'APP-DUE', { type: 'REVIEW_ROUND_OPENED', at: AT, round: 1 });
    expect((await store.get(keys.application('APP-DUE')))?.dueOn).toBe('2026-05-15');
  });

  it('lands concurrent changes one after another, each decided on the state it read', async () => {
    await submitted(ports, 'APP-RACE', AT);
    const uploads = DOCUMENTS.map((documentType) =>
      changeApplication(
        ports,
        'APP-RACE',
        () => ({ type: 'EVIDENCE_UPLOADED', at: AT, documentType, evidenceId: `E-${documentType}` }),
        'test',
      ),
    );
    await Promise.all(uploads);
    const { state, version } = await requireApplication(store, 'APP-RACE');
    expect(Object.keys(state.evidence).sort()).toEqual([...DOCUMENTS].sort());
    expect(version).toBe(1 + DOCUMENTS.length);
  });

  it('refuses an illegal event and writes nothing, not even to the timeline', async () => {
    await submitted(ports, 'APP-ILLEGAL', AT);
    await expect(apply(ports, 'APP-ILLEGAL', { type: 'EVIDENCE_SUBMITTED', at: AT })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    const partition = await loadApplicationPartition(store, 'APP-ILLEGAL');
    expect(partition?.record.version).toBe(1);
    expect(partition?.timeline.map((t) => t.type)).toEqual(['SUBMITTED']);
  });

  it('repairs a timeline entry lost between the state write and its append', async () => {
    await submitted(ports, 'APP-CRASH', AT);
    const record = await apply(ports, 'APP-CRASH', {
      type: 'EVIDENCE_UPLOADED',
      at: AT,
      documentType: 'REPAIR_APPLICATION',
      evidenceId: 'E1',
    });
    // As if the process died right after the state write.
    const lost = record.lastEvents[0]?.sk as string;
    store.remove({ pk: 'APP#APP-CRASH', sk: lost });
    const view = viewOf(await loadApplicationPartition(store, 'APP-CRASH'));
    expect(view.timeline.map((t) => t.type)).toEqual(['SUBMITTED', 'EVIDENCE_UPLOADED']);

    await apply(ports, 'APP-CRASH', { type: 'WITHDRAWN', at: AT });
    expect(await store.get({ pk: 'APP#APP-CRASH', sk: lost })).toMatchObject({ type: 'EVIDENCE_UPLOADED' });
    const after = viewOf(await loadApplicationPartition(store, 'APP-CRASH'));
    expect(after.timeline.map((t) => [t.type, t.actor])).toEqual([
      ['SUBMITTED', 'applicant:applicant-1'],
      ['EVIDENCE_UPLOADED', 'test'],
      ['WITHDRAWN', 'test'],
    ]);
    expect(after.timeline[1]?.detail).toEqual({ documentType: 'REPAIR_APPLICATION', evidenceId: 'E1' });
  });

  it('records several changes in one write, one version and one timeline entry each, repaired after a crash', async () => {
    await submitted(ports, 'APP-MANY', AT);
    const { record, changed } = await changeApplication(
      ports,
      'APP-MANY',
      () => [
        ...DOCUMENTS.map((documentType) => ({
          type: 'EVIDENCE_UPLOADED' as const,
          at: AT,
          documentType,
          evidenceId: `E-${documentType}`,
        })),
        { type: 'EVIDENCE_SUBMITTED' as const, at: AT },
      ],
      'test',
    );
    expect(changed).toBe(true);
    // As if written one at a time: versions 2..5, keyed so on the timeline.
    expect(record.version).toBe(1 + DOCUMENTS.length + 1);
    expect(record.lastEvents.map((entry) => entry.sk.split('#').at(-1))).toEqual([
      ...DOCUMENTS.map((_, i) => `${String(2 + i).padStart(4, '0')}-EVIDENCE_UPLOADED`),
      '0005-EVIDENCE_SUBMITTED',
    ]);
    // As if the process died right after the write: none of its entries reached the timeline.
    for (const entry of record.lastEvents) store.remove({ pk: 'APP#APP-MANY', sk: entry.sk });
    const view = viewOf(await loadApplicationPartition(store, 'APP-MANY'));
    expect(view.timeline.map((t) => t.type)).toEqual([
      'SUBMITTED',
      ...DOCUMENTS.map(() => 'EVIDENCE_UPLOADED'),
      'EVIDENCE_SUBMITTED',
    ]);
    await apply(ports, 'APP-MANY', { type: 'WITHDRAWN', at: AT });
    for (const entry of record.lastEvents) {
      expect(await store.get({ pk: 'APP#APP-MANY', sk: entry.sk })).toMatchObject({ type: entry.type });
    }
  });

  it('mirrors the newest task token on the application item, handed back by the next write', async () => {
    await submitted(ports, 'APP-MIRROR', AT);
    await storeTaskToken(store, 'APP-MIRROR', { task: 'AwaitEvidence' }, 1, 'token-one', AT, 'APP-MIRROR');
    await storeTaskToken(store, 'APP-MIRROR', { task: 'AwaitEvidence' }, 1, 'token-two', AT, 'APP-MIRROR');
    const { waitTokens, record } = await changeApplication(
      ports,
      'APP-MIRROR',
      () => ({ type: 'WITHDRAWN', at: AT }),
      'test',
    );
    expect(Object.values(waitTokens ?? {})).toEqual([{ round: 1, taskToken: 'token-two' }]);
    expect(mirroredTaskToken(waitTokens, { task: 'AwaitEvidence' }, 1)).toBe('token-two');
    // The mirror did not move the version: no writer of the state lost a race to it.
    expect(record.version).toBe(2);
    // A mirror of another round is not taken for this one's.
    expect(mirroredTaskToken(waitTokens, { task: 'AwaitEvidence' }, 2)).toBeUndefined();
    // An execution that is not the recorded one stores nothing, on either item.
    expect(
      await storeTaskToken(store, 'APP-MIRROR', { task: 'AwaitEvidence' }, 1, 'token-x', AT, 'APP-MIRROR-2'),
    ).toBe('stale');
    expect(await readTaskToken(store, 'APP-MIRROR', { task: 'AwaitEvidence' }, 1)).toBe('token-two');
    // Closed out, nothing waits: the mirrors go.
    await closeOutApplication(store, 'APP-MIRROR', AT);
    expect(JSON.stringify(await store.get(keys.application('APP-MIRROR')))).not.toContain('token-');
  });

  it('resumes a wait with the mirrored token, and with the stored one when the mirrored task is gone', async () => {
    await submitted(ports, 'APP-RESUME', AT);
    const slot = { task: 'AwaitEvidence' } as const;
    await storeTaskToken(store, 'APP-RESUME', slot, 1, 'token-mirrored', AT, 'APP-RESUME');
    const known = { 'waitToken.AwaitEvidence': { round: 1, taskToken: 'token-mirrored' } };
    expect(await resolveEvidenceWait(ports, 'APP-RESUME', 1, { submittedAt: AT }, known)).toBe(true);
    expect(ports.workflow.sent.at(-1)?.token).toBe('token-mirrored');
    // Two invocations of the task stored at once and the older one's mirror stayed: its task is
    // gone, and the stored token (the newer invocation's) is resumed instead.
    await storeTaskToken(store, 'APP-RESUME', slot, 1, 'token-stored', AT);
    const stale = { 'waitToken.AwaitEvidence': { round: 1, taskToken: 'token-gone' } };
    ports.workflow.forget('token-gone');
    expect(await resolveEvidenceWait(ports, 'APP-RESUME', 1, { submittedAt: AT }, stale)).toBe(true);
    expect(ports.workflow.sent.at(-1)?.token).toBe('token-stored');
  });

  it('answers a just-created application as a read of it would show it', async () => {
    const record = await submitted(ports, 'APP-FRESH', AT);
    expect(createdApplicationView(record)).toEqual(await requireApplicationView(store, 'APP-FRESH'));
  });

  it('keeps the newest task token of a callback task and never shows it in the view', async () => {
    await submitted(ports, 'APP-TOKEN', AT);
    await storeTaskToken(store, 'APP-TOKEN', { task: 'AwaitEvidence' }, 1, 'token-one', AT);
    await storeTaskToken(store, 'APP-TOKEN', { task: 'AwaitEvidence' }, 1, 'token-two', AT);
    await storeTaskToken(store, 'APP-TOKEN', { task: 'OpenReview', party: 'TAX' }, 1, 'token-tax', AT);
    expect(await readTaskToken(store, 'APP-TOKEN', { task: 'AwaitEvidence' }, 1)).toBe('token-two');
    expect(await readTaskToken(store, 'APP-TOKEN', { task: 'OpenReview', party: 'TAX' }, 1)).toBe(
      'token-tax',
    );
    expect(
      await readTaskToken(store, 'APP-TOKEN', { task: 'OpenReview', party: 'CUSTOMS' }, 1),
    ).toBeUndefined();
    const view = viewOf(await loadApplicationPartition(store, 'APP-TOKEN'));
    expect(JSON.stringify(view)).not.toContain('token-');
  });
});

describe('listApplications', () => {
  const times = [
    '2026-01-01T00:00:00.000Z',
    '2026-01-02T00:00:00.000Z',
    '2026-01-03T00:00:00.000Z',
    '2026-01-04T00:00:00.000Z',
  ];

  beforeAll(async () => {
    await submitted(ports, 'L1', times[0]!, 'LISTENT001');
    await submitted(ports, 'L2', times[1]!, 'LISTENT002');
    await submitted(ports, 'L3', times[2]!, 'LISTENT001');
    await submitted(ports, 'L4', times[3]!, 'LISTENT002');
    await apply(ports, 'L3', { type: 'WITHDRAWN', at: times[2]! });
  });

  it("lists an enterprise's applications newest first", async () => {
    const page = await listApplications(store, {
      today: '2030-01-01',
      enterpriseId: 'LISTENT001',
      limit: 10,
    });
    expect(page.items.map((a) => [a.id, a.status])).toEqual([
      ['L3', 'WITHDRAWN'],
      ['L1', 'AWAITING_EVIDENCE'],
    ]);
    const open = await listApplications(store, {
      today: '2030-01-01',
      enterpriseId: 'LISTENT001',
      status: 'AWAITING_EVIDENCE',
      limit: 10,
    });
    expect(open.items.map((a) => a.id)).toEqual(['L1']);
  });

  it('lists by status newest first', async () => {
    const page = await listApplications(store, { today: '2030-01-01', status: 'WITHDRAWN', limit: 10 });
    expect(page.items.map((a) => a.id)).toContain('L3');
    expect(page.items.every((a) => a.status === 'WITHDRAWN')).toBe(true);
  });

  it('merges every status newest first and pages through them without repeats', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listApplications(store, {
        today: '2030-01-01',
        limit: 2,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      seen.push(...page.items.map((a) => a.submittedAt + '#' + a.id));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort().reverse());
    const ours = seen.filter((s) => /#L\d$/.test(s)).map((s) => s.slice(-2));
    expect(ours).toEqual(['L4', 'L3', 'L2', 'L1']);
  });

  it('refuses a forged page token', async () => {
    await expect(
      listApplications(store, { today: '2030-01-01', limit: 2, nextToken: 'bm90LWEtdG9rZW4' }),
    ).rejects.toMatchObject({
      code: 'INVALID_NEXT_TOKEN',
    });
  });
});
