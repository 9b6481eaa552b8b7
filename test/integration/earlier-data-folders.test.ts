import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/ports/store/keys.ts';
import { store as storePort } from '../../functions/composition/store.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { eventually } from '../support/eventually.ts';
import { expectProblem, send } from '../support/http-client.ts';
import { callAs, decideWithLink, outbox, type Caller } from '../support/review-flow.ts';

/**
 * Data folders written by earlier commits, each made by `scripts/make-data-fixture.ts` and checked
 * in under test/fixtures/data-<commit> (its fixture.json says what is where): fe259ef, the commit
 * before revision 2, f55289e, main when revision 2 was merged with it, 2f9d549, a landed commit
 * under revision 2 (after claims, frozen evidence, directory changes and tier index entries were
 * added), and 835a9e9, the landed commit before the application's outbox, the mirrored task tokens
 * and the embedded store's full index keys. A copy of each must start, read, and go on under the current code (docs/data-model.md,
 * "Stored shapes changed by revision 2"). A folder added under test/fixtures/data-* is checked the
 * same way; its `rulesRevision` (1 when absent) says which stored shapes to expect.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const FOLDERS = readdirSync(FIXTURES)
  .filter((name) => name.startsWith('data-'))
  .sort();

interface EnterpriseView {
  tier: string;
  causes: CauseView[];
}

interface Manifest {
  rulesRevision?: number;
  madeOn: string;
  repaired: { enterpriseId: string; applicationId: string };
  awaitingEvidence: { enterpriseId: string; applicationId: string };
  underReview: { enterpriseId: string; applicationId: string; links: { CUSTOMS: string; TAX: string } };
  roundTwo: { enterpriseId: string; applicationId: string };
  listingRestored: { enterpriseId: string };
  beforeFirstPolicy: { enterpriseId: string };
  /** Each enterprise as the writing commit's API showed it (fixtures made since 2f9d549). */
  views?: Record<string, EnterpriseView>;
}

const manifestOf = (folder: string): Manifest =>
  JSON.parse(readFileSync(join(FIXTURES, folder, 'fixture.json'), 'utf8')) as Manifest;
const revisionOf = (folder: string): number => manifestOf(folder).rulesRevision ?? 1;

interface CauseView {
  id: string;
  code: string;
  policyId: string;
  listingUntil: string;
  factIds: string[];
  closed?: { kind: string; on: string };
}

let dataDir: string;
let runtime: Runtime;
let manifest: Manifest;
let officer: Caller;

it('has the folders to check', () => {
  expect(FOLDERS).toEqual(
    expect.arrayContaining(['data-fe259ef', 'data-f55289e', 'data-2f9d549', 'data-835a9e9']),
  );
});

const enterprise = async (id: string) => {
  const reply = await callAs(officer, 'GET', `/enterprises/${id}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body as { tier: string; causes: CauseView[]; openApplicationId?: string };
};
const application = async (id: string) => {
  const reply = await callAs(officer, 'GET', `/applications/${id}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body as Record<string, unknown> & { status: string; coveredCauseIds: string[] };
};
const sweep = async () => {
  const reply = await send(runtime.url, 'POST', '/_local/sweep');
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body.failed).toBe(0);
  return reply.body;
};
const eventLines = async () =>
  (await readFile(join(dataDir, 'events.jsonl'), 'utf8')).split('\n').filter(Boolean);
/** A link the old runtime mailed, on this runtime's port. */
const here = (link: string): string => `${runtime.url}${new URL(link).pathname}`;

describe.each(FOLDERS)('the data folder %s', (folder) => {
  const revision = revisionOf(folder);

  beforeAll(async () => {
    const fixture = join(FIXTURES, folder);
    manifest = manifestOf(folder);
    dataDir = await mkdtemp(join(tmpdir(), `${folder}-`));
    await cp(fixture, dataDir, { recursive: true });
    runtime = await startRuntime({ dataDir, port: 0, quiet: true, demo: true, sweepIntervalMs: 3_600_000 });
    officer = { baseUrl: runtime.url, token: runtime.tokens.officer };
  });

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on it as an existing folder, resuming its clock, without loading demo data', () => {
    expect(runtime.fresh).toBe(false);
    expect(runtime.demo).toEqual([]);
    expect(runtime.clock.now().toISOString().slice(0, 10) >= '2026-12-05').toBe(true);
  });

  it('finds its enterprises by tier and name: the start indexed the profiles written before the index', async () => {
    const find = async (query: string) => {
      const reply = await callAs(officer, 'GET', `/enterprises?${query}`);
      expect(reply.status, reply.text).toBe(200);
      return (reply.body as unknown as { items: { id: string; name: string; tier: string }[] }).items;
    };
    const repaired = await enterprise(manifest.repaired.enterpriseId);
    const regular = await find('tier=REGULAR&limit=100');
    expect(regular.map((e) => e.id)).toContain(manifest.repaired.enterpriseId);
    expect(repaired.tier).toBe('REGULAR');
    const underReview = await enterprise(manifest.underReview.enterpriseId);
    const listed = await find(`tier=${underReview.tier}&limit=100`);
    expect(listed.map((e) => e.id)).toContain(manifest.underReview.enterpriseId);
    const named = (await callAs(officer, 'GET', `/enterprises/${manifest.underReview.enterpriseId}`))
      .body as {
      name: string;
    };
    expect((await find(`name=${encodeURIComponent(named.name)}`)).map((e) => e.id)).toContain(
      manifest.underReview.enterpriseId,
    );
  });

  it.runIf(manifestOf(folder).views !== undefined)(
    'reads every enterprise as the commit that wrote the folder did',
    async () => {
      for (const [id, view] of Object.entries(manifest.views ?? {})) {
        const now = await enterprise(id);
        expect({ id, tier: now.tier, causes: now.causes }).toEqual({ id, ...view });
      }
    },
  );

  it('reads an earlier repair as a REPAIRED closure of the causes it covered', async () => {
    const view = await enterprise(manifest.repaired.enterpriseId);
    expect(view.tier).toBe('REGULAR');
    expect(view.causes).toEqual([
      expect.objectContaining({
        code: 'TAX_ARREARS',
        policyId: expect.stringMatching(/^GAC-/),
        closed: { kind: 'REPAIRED', on: manifest.madeOn },
      }),
    ]);
    const repaired = await application(manifest.repaired.applicationId);
    expect(repaired.status).toBe('APPROVED');
    expect(repaired.coveredCauseIds).toEqual([view.causes[0]?.id]);
  });

  it('reads the listings that ended before as LISTING_EXPIRED closures, and announces none again', async () => {
    const restored = await enterprise(manifest.listingRestored.enterpriseId);
    expect(restored.tier).toBe('REGULAR');
    expect(restored.causes[0]).toMatchObject({ code: 'TAX_ARREARS', closed: { kind: 'LISTING_EXPIRED' } });
    const early = await enterprise(manifest.beforeFirstPolicy.enterpriseId);
    expect(early.tier).toBe('REGULAR');
    // A fine of 2020, before the oldest policy: judged under it, closed when the old sweep restored it.
    expect(early.causes[0]).toMatchObject({
      code: 'EXCESSIVE_FINES',
      policyId: 'GAC-251-2021',
      closed: { kind: 'LISTING_EXPIRED' },
    });

    const mails = (await outbox(runtime.url)).length;
    const events = (await eventLines()).length;
    await sweep();
    await sweep();
    const after = await outbox(runtime.url);
    const contacts = [manifest.listingRestored.enterpriseId, manifest.beforeFirstPolicy.enterpriseId].map(
      (id) => `contact@${id.toLowerCase()}.example.org`,
    );
    expect(after.slice(mails).filter((m) => m.to.some((to) => contacts.includes(to)))).toEqual([]);
    expect((await eventLines()).length).toBe(events);
  });

  it('gives an open earlier application the causes active when it was submitted', async () => {
    const { enterpriseId, applicationId } = manifest.awaitingEvidence;
    const view = await enterprise(enterpriseId);
    const open = await application(applicationId);
    expect(open.status).toBe('AWAITING_EVIDENCE');
    expect(open.coveredCauseIds).toEqual(view.causes.map((c) => c.id));
    expect(view.openApplicationId).toBe(applicationId);

    // A new cause ends it at once, as one accepted under revision 2.
    await callAs(officer, 'POST', `/enterprises/${enterpriseId}/facts`, {
      type: 'BRIBERY',
      occurredOn: manifest.madeOn,
    });
    expect(await application(applicationId)).toMatchObject({
      status: 'REJECTED',
      outcome: { reason: 'NEW_CAUSE_DETERMINED' },
    });
    expect((await enterprise(enterpriseId)).openApplicationId).toBeUndefined();
  });

  it('lets the reviewers decide with the links the old runtime mailed, and repairs the covered cause', async () => {
    const { enterpriseId, applicationId, links } = manifest.underReview;
    for (const link of [links.CUSTOMS, links.TAX]) {
      expect((await decideWithLink(here(link), { decision: 'APPROVE' })).status).toBe(200);
    }
    await eventually('the upgrade', async () =>
      (await application(applicationId)).status === 'APPROVED' ? true : undefined,
    );
    const view = await enterprise(enterpriseId);
    expect(view.tier).toBe('REGULAR');
    expect(view.causes[0]?.closed?.kind).toBe('REPAIRED');
  });

  it('asks an earlier application in round 2 for the response revision 2 requires', async () => {
    const { enterpriseId, applicationId } = manifest.roundTwo;
    const token = ((await send(runtime.url, 'GET', `/_local/token?role=applicant&enterprise=${enterpriseId}`))
      .body.token ?? '') as string;
    const applicant = { baseUrl: runtime.url, token };
    const path = `/applications/${applicationId}/evidence/submit`;
    expectProblem(await callAs(applicant, 'POST', path), 422, 'RESPONSE_REQUIRED');
    const submitted = await callAs(applicant, 'POST', path, { response: 'A clearer receipt is attached.' });
    expect(submitted.status, submitted.text).toBe(202);
    // Revision 1 kept no earlier rounds; from revision 2 on, round 1's decisions are kept.
    expect(submitted.body.earlierRounds).toEqual(
      revision === 1
        ? []
        : [
            {
              round: 1,
              reviews: expect.arrayContaining([
                expect.objectContaining({ party: 'CUSTOMS', status: 'CHANGES_REQUESTED' }),
              ]),
            },
          ],
    );
  });

  it('holds closures[] after the next write to a profile (migrated from restorations[] if revision 1)', async () => {
    const id = manifest.listingRestored.enterpriseId;
    const before = await storePort().get(keys.enterprise(id));
    if (revision === 1) expect(before).toHaveProperty('restorations');
    else expect(before).not.toHaveProperty('restorations');
    const closed = (await enterprise(id)).causes;
    await callAs(officer, 'POST', `/enterprises/${id}/facts`, {
      type: 'FINE',
      amount: 100,
      imposedOn: manifest.madeOn,
      dueOn: manifest.madeOn,
    });
    const after = await storePort().get(keys.enterprise(id));
    expect(after).not.toHaveProperty('restorations');
    // Revision 1 stored the end of a listing as a restoration, migrated to a closure; revision 2
    // derives it from the dates and stores no closure for it.
    expect(after?.closures ?? []).toEqual(
      revision === 1
        ? [expect.objectContaining({ causeId: closed[0]?.id, kind: 'LISTING_EXPIRED' })]
        : (before?.closures ?? []),
    );
    expect((await enterprise(id)).causes).toEqual(closed);
  });
  it('shows who set its directory, and lets two officers replace a reviewer it names', async () => {
    // Directories written before change history existed read as set by `system`.
    const setBy = revision === 1 ? 'system' : 'officer-local';
    const history = await callAs(officer, 'GET', '/reviewers/TAX/history');
    expect(history.status, history.text).toBe(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ proposedBy: setBy, confirmedBy: setBy, status: 'CONFIRMED' }),
    ]);
    const replacement = {
      name: 'New Desk',
      email: 'new.desk@tax.example',
      escalationEmail: 'lead@tax.example',
    };
    const proposed = await callAs(officer, 'PUT', '/reviewers/TAX', replacement);
    expect(proposed.status, proposed.text).toBe(202);
    const second = {
      baseUrl: runtime.url,
      token: (await send(runtime.url, 'GET', '/_local/token?role=officer&sub=second')).body.token as string,
    };
    const id = (proposed.body.change as { id: string }).id;
    const confirmed = await callAs(second, 'POST', `/reviewers/TAX/changes/${id}/confirm`);
    expect(confirmed.status, confirmed.text).toBe(200);
    const after = await callAs(officer, 'GET', '/reviewers/TAX/history');
    expect((after.body.items as { proposedBy: string }[]).map((i) => i.proposedBy)).toEqual([
      setBy,
      'officer-local',
    ]);
  });
});
