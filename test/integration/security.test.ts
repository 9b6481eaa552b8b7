import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KEY_FILE } from '../../local/dev-auth.ts';
import type { Runtime } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { send, type Reply } from '../support/http-client.ts';
import {
  apply,
  applyAndSubmit,
  callAs,
  decideWithLink,
  DEMO_REVIEWER_EMAIL,
  devToken,
  openPage,
  outbox,
  type Caller,
} from '../support/review-flow.ts';

/**
 * The attacks of the security review (docs/security.md), each through the embedded runtime's real
 * gateway: a rogue officer rerouting another agency's vote, an applicant probing other
 * enterprises' applications or creating unbounded work, forged tokens without expiry.
 */

let embedded: EmbeddedRuntime;
let runtime: Runtime;
let officer: Caller;
let secondOfficer: Caller;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('security');
  runtime = embedded.runtime;
  officer = { baseUrl: runtime.url, token: await devToken(runtime.url, 'role=officer&sub=officer-alice') };
  secondOfficer = {
    baseUrl: runtime.url,
    token: await devToken(runtime.url, 'role=officer&sub=officer-bob'),
  };
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
});

async function eligibleEnterprise(id: string): Promise<void> {
  const today = localDateIn(runtime.clock.now());
  const created = await callAs(officer, 'POST', '/enterprises', {
    id,
    name: `Security ${id}`,
    contactEmail: `ops@${id.toLowerCase()}.test`,
  });
  expect(created.status, created.text).toBe(201);
  const fact = await callAs(officer, 'POST', `/enterprises/${id}/facts`, {
    type: 'TAX_ASSESSMENT',
    amount: 80_000,
    dueOn: addMonths(today, -12),
  });
  expect(fact.status, fact.text).toBe(201);
  const factId = (fact.body.fact as { id: string }).id;
  const paid = await callAs(officer, 'POST', `/enterprises/${id}/facts/${factId}/payment`, {
    paidOn: addMonths(today, -8),
  });
  expect(paid.status, paid.text).toBe(200);
}

const taxReviewer = async (): Promise<Record<string, unknown> | undefined> =>
  ((await callAs(officer, 'GET', '/reviewers')).body.items as Record<string, unknown>[]).find(
    (r) => r.party === 'TAX',
  );

describe('four-eyes reviewer directory', () => {
  it('a rogue officer cannot reroute another agency’s vote alone; a second officer can, and the old reviewer is told', async () => {
    await eligibleEnterprise('SECU000001');
    const applicant: Caller = {
      baseUrl: runtime.url,
      token: await devToken(runtime.url, 'role=applicant&enterprise=SECU000001'),
    };
    // A round opened before the change: its link went to the demo tax reviewer.
    const before = await applyAndSubmit(applicant, 'SECU000001', 'Taxes paid.');

    const rogue = {
      name: 'Rogue',
      email: 'officer.personal@attacker.example',
      escalationEmail: 'x@attacker.example',
    };
    const proposed = await callAs(officer, 'PUT', '/reviewers/TAX', rogue);
    expect(proposed.status, proposed.text).toBe(202);
    const change = proposed.body.change as Record<string, unknown>;
    expect(change).toMatchObject({
      party: 'TAX',
      proposed: rogue,
      proposedBy: 'officer-alice',
      status: 'PENDING',
    });
    expect(await taxReviewer()).toMatchObject({ email: DEMO_REVIEWER_EMAIL.TAX });

    // A second proposal while one is pending.
    const other = await callAs(secondOfficer, 'PUT', '/reviewers/TAX', { ...rogue, name: 'Other' });
    expect(other.status, other.text).toBe(409);
    expect(other.body.code).toBe('CHANGE_PENDING');

    const confirmPath = `/reviewers/TAX/changes/${String(change.id)}/confirm`;
    const self = await callAs(officer, 'POST', confirmPath);
    expect(self.status, self.text).toBe(403);
    expect(self.body.code).toBe('SAME_OFFICER');
    expect(await taxReviewer()).toMatchObject({ email: DEMO_REVIEWER_EMAIL.TAX });
    expect((await callAs(officer, 'POST', '/reviewers/TAX/changes/nosuchchange/confirm')).status).toBe(404);

    const confirmed = await callAs(secondOfficer, 'POST', confirmPath);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      reviewer: { party: 'TAX', email: rogue.email },
      change: { status: 'CONFIRMED', proposedBy: 'officer-alice', confirmedBy: 'officer-bob' },
    });
    expect(await taxReviewer()).toMatchObject({ email: rogue.email });
    expect((await callAs(secondOfficer, 'POST', confirmPath)).status).toBe(409);

    const notices = (await outbox(runtime.url)).filter((m) => m.subject.includes('reviewer of'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.to).toEqual(
      expect.arrayContaining([DEMO_REVIEWER_EMAIL.TAX, 'tax.lead@example.org', rogue.escalationEmail]),
    );

    // The link mailed before the change stays with its recipient and still decides.
    expect((await openPage(before.links.TAX)).status).toBe(200);
    expect((await decideWithLink(before.links.TAX, { decision: 'APPROVE' })).status).toBe(200);

    const history = await callAs(officer, 'GET', '/reviewers/TAX/history');
    expect(history.status, history.text).toBe(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ proposedBy: 'system', confirmedBy: 'system', status: 'CONFIRMED' }),
      expect.objectContaining({
        id: change.id,
        proposedBy: 'officer-alice',
        confirmedBy: 'officer-bob',
        status: 'CONFIRMED',
        proposed: rogue,
        previous: expect.objectContaining({ email: DEMO_REVIEWER_EMAIL.TAX }),
      }),
    ]);
    expect(
      (history.body.timeline as { type: string; actor: string }[]).map((e) => [e.type, e.actor]),
    ).toEqual([
      ['REVIEWER_CHANGE_PROPOSED', 'officer:officer-alice'],
      ['REVIEWER_CHANGE_CONFIRMED', 'officer:officer-bob'],
    ]);
  });

  it('a pending change can be cancelled, freeing the party; applicants see no directory', async () => {
    const proposed = await callAs(officer, 'PUT', '/reviewers/CUSTOMS', {
      name: 'Someone',
      email: 'someone@customs.example',
      escalationEmail: 'lead@customs.example',
    });
    expect(proposed.status, proposed.text).toBe(202);
    const id = String((proposed.body.change as { id: string }).id);
    const cancelled = await callAs(secondOfficer, 'POST', `/reviewers/CUSTOMS/changes/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelledBy: 'officer-bob' });
    expect((await callAs(secondOfficer, 'POST', `/reviewers/CUSTOMS/changes/${id}/confirm`)).status).toBe(
      409,
    );
    const again = await callAs(secondOfficer, 'PUT', '/reviewers/CUSTOMS', {
      name: 'Another',
      email: 'another@customs.example',
      escalationEmail: 'lead@customs.example',
    });
    expect(again.status, again.text).toBe(202);
    const applicant = { baseUrl: runtime.url, token: runtime.tokens.applicants[0]?.token ?? '' };
    expect((await callAs(applicant, 'GET', '/reviewers/CUSTOMS/history')).status).toBe(403);
  });
});

describe('applicants', () => {
  it('another enterprise’s application answers exactly as an unknown id', async () => {
    await eligibleEnterprise('SECU000002');
    const owner: Caller = {
      baseUrl: runtime.url,
      token: await devToken(runtime.url, 'role=applicant&enterprise=SECU000002'),
    };
    const created = await apply(owner, 'SECU000002', 'Taxes paid.');
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const stranger: Caller = {
      baseUrl: runtime.url,
      token: await devToken(runtime.url, 'role=applicant&enterprise=SECU000099'),
    };
    const unknownId = `${id.slice(0, -4)}ZZZZ`;
    const answers = async (applicationId: string, method: string, path: string, body?: unknown) => {
      const reply = await callAs(stranger, method, path.replace('ID', applicationId), body);
      return { status: reply.status, body: reply.text.replaceAll(applicationId, 'ID') };
    };
    for (const [method, path, body] of [
      ['GET', '/applications/ID'],
      ['POST', '/applications/ID/withdraw'],
      [
        'POST',
        '/applications/ID/evidence',
        { documentType: 'TAX_PAID_PROOF', fileName: 'a.pdf', contentType: 'application/pdf', size: 100 },
      ],
      ['POST', '/applications/ID/evidence/submit', {}],
    ] as const) {
      const other = await answers(id, method, path, body);
      expect(other.status, `${method} ${path}`).toBe(404);
      expect(other, `${method} ${path}`).toEqual(await answers(unknownId, method, path, body));
    }
  });

  it('the 6th application of an enterprise in 30 days is refused with 429 and Retry-After', async () => {
    await eligibleEnterprise('SECU000003');
    const applicant: Caller = {
      baseUrl: runtime.url,
      token: await devToken(runtime.url, 'role=applicant&enterprise=SECU000003'),
    };
    for (let i = 0; i < 5; i += 1) {
      const created = await apply(applicant, 'SECU000003', `Attempt ${i}`);
      expect(created.status, created.text).toBe(201);
      const withdrawn = await callAs(applicant, 'POST', `/applications/${String(created.body.id)}/withdraw`);
      expect(withdrawn.status, withdrawn.text).toBe(200);
    }
    const sixth = await apply(applicant, 'SECU000003', 'Attempt 6');
    expect(sixth.status, sixth.text).toBe(429);
    expect(sixth.body.code).toBe('TOO_MANY_APPLICATIONS');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(29 * 86_400);
  });

  it('a signed token without exp is refused with 401', async () => {
    const jwk = JSON.parse(await readFile(join(runtime.dataDir, DEV_KEY_FILE), 'utf8')) as JWK;
    const key = await importJWK(jwk, 'ES256');
    const forever = await new SignJWT({ role: 'officer' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(jwk.kid === undefined ? {} : { kid: jwk.kid }) })
      .setSubject('officer-forever')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .sign(key);
    const reply = await send(runtime.url, 'GET', '/reviewers', { token: forever });
    expect(reply.status, reply.text).toBe(401);
    expect(reply.body.code).toBe('UNAUTHORIZED');
  });

  it('answers nosniff everywhere: JSON, problems, pages, the console and the controls', async () => {
    const replies: Reply[] = [
      await send(runtime.url, 'GET', '/health'),
      await send(runtime.url, 'GET', '/reviewers'),
      await send(runtime.url, 'GET', '/no/such/path'),
      await send(runtime.url, 'GET', `/review/${'A'.repeat(43)}`),
      await send(runtime.url, 'GET', '/'),
      await send(runtime.url, 'GET', '/_local/clock'),
      await send(runtime.url, 'GET', '/_local/inbox'),
    ];
    for (const reply of replies) expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });
});
