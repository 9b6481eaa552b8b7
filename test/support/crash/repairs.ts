import { addMonths, localDateIn, type LocalDate } from '../../../domain/dates.ts';
import { POLICY } from '../../../domain/policy.ts';
import type { Reply } from '../http-client.ts';
import type { SecretCollector } from '../log-secrets.ts';
import { minimalPdf } from '../pdf-files.ts';
import type { Prng } from '../prng.ts';
import type { RunRecorder } from './recorder.ts';
import { RunStopped } from './recorder.ts';
import type { ResilientApi } from './resilient-api.ts';

/**
 * The clients of a crash run, each doing over HTTP what its person does, and retrying as they would:
 *
 * - the officer registers the reviewers and the enterprises (tax arrears paid long enough ago that
 *   each may apply today), before any kill;
 * - each enterprise's applicant applies with one Idempotency-Key (retried with the same key),
 *   announces and uploads each document (a fresh ticket after a failed upload: the old presigned
 *   URL may name a port the restarted store no longer listens on), submits, and waits for the
 *   outcome;
 * - each party's reviewer opens the latest link the outbox holds for the application, and posts
 *   the form with the page's nonce.
 *
 * Every 2xx is kept as an acknowledgement, for the final checks.
 */

export const REVIEW_PARTIES = ['CUSTOMS', 'TAX'] as const;

/** The recorder's mark of the last POST /applications answered with the application. */
export const APPLICATION_ACKNOWLEDGED = 'application acknowledged';
export type ReviewParty = (typeof REVIEW_PARTIES)[number];

export const reviewerEmail = (party: ReviewParty): string => `${party.toLowerCase()}.reviewer@crash.test`;

export type RepairPhase = 'apply' | 'evidence' | 'submit' | 'review' | 'done';

export interface AckedDecision {
  readonly party: ReviewParty;
  readonly life: number;
  readonly round: number;
}

export class Repair {
  phase: RepairPhase = 'apply';
  applicationId: string | undefined;
  token = '';
  /** The first 201 (or 200) POST /applications answered, byte for byte. */
  firstApply: { status: number; text: string; id: string } | undefined;
  /** Same-key answers that were not the application (for the report). */
  readonly sameKeyRefusals: { code: string; life: number }[] = [];
  readonly tickets: { evidenceId: string; documentType: string }[] = [];
  readonly uploads: { evidenceId: string; documentType: string }[] = [];
  readonly submits: { life: number }[] = [];
  readonly decisions: AckedDecision[] = [];
  finalStatus: string | undefined;
  readonly body: { enterpriseId: string; statement: string };

  constructor(
    readonly enterpriseId: string,
    readonly idempotencyKey: string,
  ) {
    this.body = { enterpriseId, statement: `Taxes of ${enterpriseId} paid in full; controls improved.` };
  }

  get contactEmail(): string {
    return `applicant@${this.enterpriseId.toLowerCase()}.test`;
  }

  get name(): string {
    return `Crash Test Enterprise ${this.enterpriseId}`;
  }
}

export interface Acks {
  readonly enterprises: string[];
  readonly facts: { enterpriseId: string; factId: string; paidOn: LocalDate }[];
  readonly reviewers: ReviewParty[];
}

export interface World {
  readonly api: ResilientApi;
  readonly rec: RunRecorder;
  readonly rng: Prng;
  readonly secrets: SecretCollector;
  readonly outbox: OutboxWatcher;
  readonly acks: Acks;
  officer: string;
  readonly lifeIndex: () => number;
  readonly pollMs: readonly [number, number];
}

export interface OutboxMessage {
  readonly id: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly links: string[];
  readonly sentAt: string;
}

/**
 * One reader of `GET /_local/outbox` for every reviewer: each reads the latest snapshot, so the
 * runtime serves one listing per interval, not one per waiting reviewer.
 */
export class OutboxWatcher {
  #messages: OutboxMessage[] = [];
  #running: Promise<void> | undefined;

  constructor(
    private readonly api: ResilientApi,
    private readonly rec: RunRecorder,
    private readonly secrets: SecretCollector,
  ) {}

  start(): void {
    this.#running ??= (async () => {
      try {
        for (;;) {
          const reply = await this.api.once('outbox', 'GET', '/_local/outbox');
          if (reply?.status === 200) this.update(JSON.parse(reply.text) as OutboxMessage[]);
          await this.api.pause(300, 500);
        }
      } catch (error) {
        if (!(error instanceof RunStopped)) throw error;
      }
    })();
  }

  async stopped(): Promise<void> {
    await this.#running;
  }

  update(messages: OutboxMessage[]): void {
    this.#messages = messages;
    for (const message of messages) {
      for (const link of message.links) if (link.includes('/review/')) this.secrets.addReviewLink(link);
    }
  }

  get messages(): readonly OutboxMessage[] {
    return this.#messages;
  }

  /** The review link of the newest message to the party's reviewer about the application. */
  latestReviewLink(party: ReviewParty, applicationId: string): string | undefined {
    const email = reviewerEmail(party);
    const mine = this.#messages.filter((m) => m.to.includes(email) && m.text.includes(applicationId));
    for (const message of mine.reverse()) {
      const link = message.links.find((l) => /\/review\/[A-Za-z0-9_-]+$/.test(l));
      if (link) return link;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// setup (before the first kill)

/** The day the run happens on: late enough that facts dated a year back fall under the policy. */
export async function runDay(world: World): Promise<LocalDate> {
  const clock = await world.api.call('clock', 'GET', '/_local/clock');
  const today = localDateIn(String(clock.body.now));
  const earliest = addMonths(POLICY.effectiveFrom as LocalDate, 14);
  if (today >= earliest) return today;
  // The fresh data folder's clock is moved forward once, so back-dated facts are after the policy.
  const moved = await world.api.call('clock', 'POST', '/_local/clock', {
    json: { now: `${earliest}T04:00:00.000Z` },
  });
  if (moved.status !== 200) throw new Error(`could not move the clock: ${moved.status} ${moved.text}`);
  return earliest;
}

async function expectStatus(reply: Reply, status: number, what: string): Promise<Reply> {
  if (reply.status !== status)
    throw new Error(`${what}: expected ${status}, got ${reply.status} ${reply.text}`);
  return reply;
}

export async function registerReviewers(world: World): Promise<void> {
  for (const party of REVIEW_PARTIES) {
    const reply = await world.api.call('setup', 'PUT', `/reviewers/${party}`, {
      token: world.officer,
      json: {
        name: `${party} reviewer`,
        email: reviewerEmail(party),
        escalationEmail: `${party.toLowerCase()}.escalation@crash.test`,
      },
    });
    await expectStatus(reply, 200, `PUT /reviewers/${party}`);
    world.acks.reviewers.push(party);
  }
}

/** DISHONEST for tax arrears (due a year ago, paid eight months ago): may apply today. */
export async function registerEligibleEnterprise(
  world: World,
  repair: Repair,
  today: LocalDate,
): Promise<void> {
  const { api, officer } = world;
  const id = repair.enterpriseId;
  await expectStatus(
    await api.call('setup', 'POST', '/enterprises', {
      token: officer,
      json: { id, name: repair.name, contactEmail: repair.contactEmail },
    }),
    201,
    `POST /enterprises ${id}`,
  );
  world.acks.enterprises.push(id);
  const fact = await expectStatus(
    await api.call('setup', 'POST', `/enterprises/${id}/facts`, {
      token: officer,
      json: { type: 'TAX_ASSESSMENT', amount: 80_000, dueOn: addMonths(today, -12) },
    }),
    201,
    `POST /enterprises/${id}/facts`,
  );
  const factId = String((fact.body.fact as { id: string }).id);
  const paidOn = addMonths(today, -8);
  await expectStatus(
    await api.call('setup', 'POST', `/enterprises/${id}/facts/${factId}/payment`, {
      token: officer,
      json: { paidOn },
    }),
    200,
    `POST payment ${id}`,
  );
  world.acks.facts.push({ enterpriseId: id, factId, paidOn });
  const token = await api.call('setup', 'GET', `/_local/token?role=applicant&enterprise=${id}`);
  repair.token = String(token.body.token);
  world.secrets.add('jwt', repair.token);
}

// ---------------------------------------------------------------------------------------------
// the applicant

const applicationPath = (repair: Repair): string => `/applications/${repair.applicationId ?? ''}`;

async function poll(world: World): Promise<void> {
  await world.api.pause(world.pollMs[0], world.pollMs[1]);
}

/** The application as its applicant reads it (retrying through crashes). */
async function readApplication(world: World, repair: Repair): Promise<Record<string, unknown>> {
  for (;;) {
    const reply = await world.api.call('read application', 'GET', applicationPath(repair), {
      token: repair.token,
      enterpriseId: repair.enterpriseId,
    });
    if (reply.status === 200) return reply.body as Record<string, unknown>;
    world.rec.violate({
      check: repair.firstApply ? 'acknowledged' : 'unexpected-answer',
      enterpriseId: repair.enterpriseId,
      ...(repair.applicationId ? { applicationId: repair.applicationId } : {}),
      detail: `GET of the application answered ${reply.status} ${String(reply.body.code ?? '')}`,
    });
    await world.api.pause(1000, 2000);
  }
}

/** POST /applications with the repair's one key until it names an application. */
async function apply(world: World, repair: Repair): Promise<void> {
  const { api, rec } = world;
  let reportedOpen = false;
  for (;;) {
    const reply = await api.call('apply', 'POST', '/applications', {
      token: repair.token,
      headers: { 'idempotency-key': repair.idempotencyKey },
      json: repair.body,
      enterpriseId: repair.enterpriseId,
    });
    if (reply.status === 201 || reply.status === 200) {
      const id = String(reply.body.id);
      repair.firstApply ??= { status: reply.status, text: reply.text, id };
      repair.applicationId = id;
      repair.phase = 'evidence';
      rec.mark(APPLICATION_ACKNOWLEDGED);
      rec.progress();
      return;
    }
    const code = String(reply.body.code ?? '');
    repair.sameKeyRefusals.push({ code, life: world.lifeIndex() });
    if (reply.status === 409 && code === 'APPLICATION_OPEN') {
      // Only this key ever applied for this enterprise: the open application is the one it created.
      rec.count('same-key retries answered APPLICATION_OPEN');
      const openId = String(reply.body.openApplicationId ?? '');
      const open = await api.call('read application', 'GET', `/applications/${openId}`, {
        token: world.officer,
      });
      if (!reportedOpen) {
        reportedOpen = true;
        rec.violate({
          check: 'same-key',
          enterpriseId: repair.enterpriseId,
          applicationId: openId,
          detail:
            `a retry of POST /applications with the first key answered 409 APPLICATION_OPEN in life ${world.lifeIndex()} ` +
            `(openApplicationId ${openId}: ${open.status === 200 ? `exists, ${String(open.body.status)}` : `GET answers ${open.status}`})`,
        });
      }
      if (open.status === 200) {
        // What a client can do: learn the id from the claim (or by listing) and carry on.
        repair.applicationId = openId;
        repair.phase = 'evidence';
        rec.progress();
        return;
      }
      await api.pause(1000, 2000);
      continue;
    }
    rec.violate({
      check: 'unexpected-answer',
      enterpriseId: repair.enterpriseId,
      detail: `POST /applications answered ${reply.status} ${code}`,
      data: reply.body,
    });
    await api.pause(1000, 2000);
  }
}

/** One document: a ticket, then the file through its presigned POST; a fresh ticket after any failure. */
async function uploadDocument(
  world: World,
  repair: Repair,
  documentType: string,
): Promise<'uploaded' | 'not-awaiting'> {
  const { api, rec } = world;
  const file = minimalPdf(`${documentType} of ${repair.enterpriseId}`);
  for (;;) {
    const ticket = await api.call('evidence ticket', 'POST', `${applicationPath(repair)}/evidence`, {
      token: repair.token,
      json: {
        documentType,
        fileName: `${documentType.toLowerCase()}.pdf`,
        contentType: 'application/pdf',
        size: file.length,
      },
      enterpriseId: repair.enterpriseId,
    });
    if (ticket.status === 409) return 'not-awaiting';
    if (ticket.status !== 201) {
      rec.violate({
        check: 'unexpected-answer',
        enterpriseId: repair.enterpriseId,
        ...(repair.applicationId ? { applicationId: repair.applicationId } : {}),
        detail: `POST …/evidence (${documentType}) answered ${ticket.status} ${String(ticket.body.code ?? '')}`,
      });
      await api.pause(1000, 2000);
      continue;
    }
    const evidenceId = String(ticket.body.evidenceId);
    repair.tickets.push({ evidenceId, documentType });
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    world.secrets.addPresignedFields(upload.fields);
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), `${documentType}.pdf`);
    rec.enter('upload');
    try {
      const stored = await fetch(upload.url, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
      await stored.arrayBuffer();
      if (stored.status < 300) {
        repair.uploads.push({ evidenceId, documentType });
        rec.progress();
        return 'uploaded';
      }
      rec.count('uploads refused');
    } catch {
      rec.count('uploads cut off');
    } finally {
      rec.leave('upload');
    }
    await api.pause(100, 300);
  }
}

/** Uploads what the round still needs and submits; returns when the application is past its evidence. */
async function evidence(world: World, repair: Repair): Promise<void> {
  const { api, rec } = world;
  for (;;) {
    const app = await readApplication(world, repair);
    const status = String(app.status);
    if (status !== 'AWAITING_EVIDENCE') {
      if (status === 'UNDER_REVIEW' || isFinal(status)) return;
      await poll(world);
      continue;
    }
    repair.phase = 'evidence';
    const uploaded = new Set(repair.uploads.map((u) => u.documentType));
    let notAwaiting = false;
    for (const documentType of app.requiredDocuments as string[]) {
      if (uploaded.has(documentType)) continue;
      if ((await uploadDocument(world, repair, documentType)) === 'not-awaiting') notAwaiting = true;
    }
    if (notAwaiting) {
      await poll(world);
      continue;
    }
    repair.phase = 'submit';
    const submitted = await api.call('submit', 'POST', `${applicationPath(repair)}/evidence/submit`, {
      token: repair.token,
      enterpriseId: repair.enterpriseId,
    });
    if (submitted.status === 202) {
      repair.submits.push({ life: world.lifeIndex() });
      rec.progress();
      return;
    }
    if (submitted.status === 409) {
      // The workflow has not reached its evidence wait yet (or the submit landed before a crash).
      await poll(world);
      continue;
    }
    if (submitted.status === 422) {
      const missing = JSON.stringify(submitted.body.missing ?? submitted.body.errors ?? submitted.body);
      rec.violate({
        check: 'acknowledged',
        enterpriseId: repair.enterpriseId,
        ...(repair.applicationId ? { applicationId: repair.applicationId } : {}),
        detail: `submit after acknowledged uploads answered 422 ${String(submitted.body.code ?? '')}: ${missing}`,
      });
      repair.uploads.length = 0;
      continue;
    }
    rec.violate({
      check: 'unexpected-answer',
      enterpriseId: repair.enterpriseId,
      detail: `submit answered ${submitted.status} ${String(submitted.body.code ?? '')}`,
    });
    await api.pause(1000, 2000);
  }
}

const isFinal = (status: string): boolean =>
  ['APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED'].includes(status);

/** The applicant's whole part; resolves when the application is final (or the run ends). */
export async function runApplicant(world: World, repair: Repair): Promise<void> {
  try {
    await apply(world, repair);
    await evidence(world, repair);
    repair.phase = 'review';
    let last = '';
    for (;;) {
      const app = await readApplication(world, repair);
      const status = String(app.status);
      if (status !== last) world.rec.progress();
      last = status;
      if (isFinal(status)) {
        repair.finalStatus = status;
        repair.phase = 'done';
        world.rec.progress();
        return;
      }
      await poll(world);
    }
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// the reviewers

const nonceOf = (html: string): string | undefined =>
  /<input type="hidden" name="nonce" value="([^"]+)">/.exec(html)?.[1];

/** One party's reviewer of one repair: approves through the latest link until the application is final. */
export async function runReviewer(world: World, repair: Repair, party: ReviewParty): Promise<void> {
  const { api, rec, outbox } = world;
  const dead = new Set<string>();
  let decidedLink: string | undefined;
  try {
    for (;;) {
      if (repair.phase === 'done') return;
      const id = repair.applicationId;
      const link = id === undefined ? undefined : outbox.latestReviewLink(party, id);
      if (link === undefined || dead.has(link) || link === decidedLink) {
        await api.pause(300, 600);
        continue;
      }
      const path = new URL(link).pathname;
      const page = await api.call('review page', 'GET', path, { enterpriseId: repair.enterpriseId });
      const nonce = page.status === 200 ? nonceOf(page.text) : undefined;
      if (page.status !== 200 || nonce === undefined) {
        // 410: superseded or closed (a newer link may come); 409: already used; 404: unknown.
        if (page.status === 404) rec.count('review links unknown (404)');
        dead.add(link);
        continue;
      }
      world.secrets.add('nonce', nonce);
      if (decidedLink !== undefined) {
        // A new link after this reviewer's acknowledged decision: was the decision kept?
        await checkDecisionKept(world, repair, party);
      }
      const decided = await api.call('review decision', 'POST', path, {
        raw: new URLSearchParams({ decision: 'APPROVE', comment: 'Documents in order.', nonce }).toString(),
        contentType: 'application/x-www-form-urlencoded',
        enterpriseId: repair.enterpriseId,
      });
      if (decided.status === 200) {
        repair.decisions.push({ party, life: world.lifeIndex(), round: 1 });
        decidedLink = link;
        rec.progress();
        continue;
      }
      if (decided.status === 403) continue; // a stale nonce: open the page again
      dead.add(link);
    }
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
  }
}

async function checkDecisionKept(world: World, repair: Repair, party: ReviewParty): Promise<void> {
  const reply = await world.api.call('read application', 'GET', applicationPath(repair), {
    token: world.officer,
  });
  const review = (reply.body.reviews as { party: string; status: string }[] | undefined)?.find(
    (r) => r.party === party,
  );
  if (reply.body.round === 1 && review?.status === 'PENDING') {
    world.rec.violate({
      check: 'acknowledged',
      enterpriseId: repair.enterpriseId,
      ...(repair.applicationId ? { applicationId: repair.applicationId } : {}),
      detail: `${party}'s acknowledged approval is gone: its review is PENDING again and a new link was mailed`,
    });
  } else {
    world.rec.note({
      kind: 'review link re-sent after a decision',
      enterpriseId: repair.enterpriseId,
      detail: `${party}: a new link came after the acknowledged approval (review ${review?.status ?? 'absent'})`,
    });
  }
}
