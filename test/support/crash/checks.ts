import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reply } from '../http-client.ts';
import type { RunRecorder, Violation } from './recorder.ts';
import type { OutboxMessage, Repair, World } from './repairs.ts';
import { REVIEW_PARTIES, reviewerEmail } from './repairs.ts';
import type { Life } from './supervisor.ts';

/**
 * The checks of issue 18 ("Tests (must show)") and issue 13's crash bullet, run against the last,
 * never-killed life after the run settled: the final state of every enterprise, the listing-change
 * events in DATA_DIR/events.jsonl, the outcome emails in the outbox, a same-key retry of every
 * application, and every acknowledgement the clients kept. Each failure is a Violation with what
 * was seen; a repair that did not finish gets a diagnosis naming the pattern it matches.
 */

/**
 * A resend the contract allows (issue 13, "at-least-once cases that remain"): the first copy was
 * written at most this long before a kill, and the next copy by a later life.
 */
export const CRASH_WINDOW_MS = 1_000;

interface AppView {
  id: string;
  enterpriseId: string;
  status: string;
  round: number;
  evidence: { evidenceId: string; documentType: string; status: string }[];
  reviews: { party: string; status: string }[];
  timeline: { type: string; at: string; detail?: Record<string, unknown> }[];
}

interface EnterpriseView {
  tier: string;
  openApplicationId?: string;
  facts: { id: string; paidOn?: string }[];
}

export interface FinalState {
  readonly enterprise: EnterpriseView | undefined;
  readonly applications: AppView[];
  /** The application the claim names, when it names one that cannot be read. */
  readonly claimAnswer?: number;
}

async function officerGet(world: World, path: string): Promise<Reply> {
  return world.api.call('final read', 'GET', path, { token: world.officer });
}

export async function readFinalState(world: World, repair: Repair): Promise<FinalState> {
  const enterpriseReply = await officerGet(world, `/enterprises/${repair.enterpriseId}`);
  const enterprise =
    enterpriseReply.status === 200 ? (enterpriseReply.body as unknown as EnterpriseView) : undefined;
  const applications: AppView[] = [];
  let nextToken: string | undefined;
  do {
    const query = `enterpriseId=${repair.enterpriseId}&limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
    const page = await officerGet(world, `/applications?${query}`);
    for (const item of (page.body.items as { id: string }[] | undefined) ?? []) {
      const full = await officerGet(world, `/applications/${item.id}`);
      if (full.status === 200) applications.push(full.body as unknown as AppView);
    }
    nextToken = page.body.nextToken as string | undefined;
  } while (nextToken !== undefined);
  let claimAnswer: number | undefined;
  const claimed = enterprise?.openApplicationId;
  if (claimed !== undefined && !applications.some((a) => a.id === claimed)) {
    claimAnswer = (await officerGet(world, `/applications/${claimed}`)).status;
  }
  return { enterprise, applications, ...(claimAnswer === undefined ? {} : { claimAnswer }) };
}

const OPEN = ['AWAITING_EVIDENCE', 'UNDER_REVIEW'];

/** Which of issue 18's patterns an unfinished repair matches. */
export function diagnose(repair: Repair, state: FinalState, violations: readonly Violation[] = []): string {
  const { enterprise, applications } = state;
  const serverErrors = violations.filter(
    (v) => v.check === 'no-5xx' && v.enterpriseId === repair.enterpriseId,
  );
  const claimed = enterprise?.openApplicationId;
  if (claimed !== undefined && state.claimAnswer !== undefined) {
    return (
      `ORPHAN_CLAIM: openApplicationId ${claimed} names no application (GET answers ${state.claimAnswer}); ` +
      `every POST /applications of the enterprise answers APPLICATION_OPEN`
    );
  }
  const app = applications.find((a) => a.id === (claimed ?? repair.applicationId)) ?? applications[0];
  if (app === undefined) return 'NO_APPLICATION: the enterprise has no application at all';
  const types = app.timeline.map((t) => t.type);
  const approvedByAll = REVIEW_PARTIES.every(
    (p) => app.reviews.find((r) => r.party === p)?.status === 'APPROVED',
  );
  if (
    app.status === 'UNDER_REVIEW' &&
    approvedByAll &&
    types.includes('ROUND_ENDED') &&
    enterprise?.tier === 'REGULAR'
  ) {
    return 'UPGRADED_IN_SILENCE: both approvals, ROUND_ENDED, the enterprise REGULAR, the application still UNDER_REVIEW';
  }
  if (app.status === 'UNDER_REVIEW' && approvedByAll && types.includes('ROUND_ENDED')) {
    return `TALLIED_NOT_UPGRADED: both approvals and ROUND_ENDED, the enterprise still ${enterprise?.tier ?? '?'}`;
  }
  if (app.status === 'UNDER_REVIEW' && approvedByAll) {
    return 'APPROVED_NOT_TALLIED: both approvals recorded, no ROUND_ENDED';
  }
  if (app.status === 'AWAITING_EVIDENCE' && serverErrors.length > 0) {
    return `SERVER_ERRORS: still AWAITING_EVIDENCE; ${serverErrors.map((v) => v.detail).join('; ')}`;
  }
  if (app.status === 'AWAITING_EVIDENCE' && repair.submits.length > 0) {
    return 'SUBMIT_LOST: evidence/submit answered 202, the application is still AWAITING_EVIDENCE';
  }
  if (app.status === 'UNDER_REVIEW' && !types.includes('REVIEW_ROUND_OPENED')) {
    return 'REVIEW_NEVER_OPENED: UNDER_REVIEW without REVIEW_ROUND_OPENED';
  }
  return `${app.status}: timeline ends ${types.slice(-4).join(' → ')}; reviews ${app.reviews.map((r) => `${r.party}=${r.status}`).join(', ')}`;
}

/** Every enterprise REGULAR, exactly one APPROVED application and none open; every acknowledgement reflected. */
export function checkFinalState(
  rec: RunRecorder,
  repair: Repair,
  state: FinalState,
  clientViolations: readonly Violation[] = [],
): void {
  const who = { enterpriseId: repair.enterpriseId };
  const { enterprise, applications } = state;
  const approved = applications.filter((a) => a.status === 'APPROVED');
  const open = applications.filter((a) => OPEN.includes(a.status));
  const problems: string[] = [];
  if (enterprise?.tier !== 'REGULAR') problems.push(`tier ${enterprise?.tier ?? 'unreadable'}`);
  if (approved.length !== 1) problems.push(`${approved.length} APPROVED applications`);
  if (open.length > 0) problems.push(`open: ${open.map((a) => `${a.id} ${a.status}`).join(', ')}`);
  if (enterprise?.openApplicationId !== undefined) problems.push(`claim on ${enterprise.openApplicationId}`);
  if (problems.length > 0) {
    rec.violate({
      check: 'final-state',
      ...who,
      ...(repair.applicationId ? { applicationId: repair.applicationId } : {}),
      detail: `${problems.join('; ')} — ${diagnose(repair, state, clientViolations)}`,
      data: {
        statuses: applications.map((a) => ({
          id: a.id,
          status: a.status,
          timeline: a.timeline.map((t) => t.type),
        })),
      },
    });
  }

  // The approved application's timeline (the view: stored entries and the outbox's): each change of
  // its one round once, none lost to a kill between a state write and its entries' append.
  for (const app of approved) {
    const count = (type: string): number => app.timeline.filter((t) => t.type === type).length;
    const expected: Record<string, number> = {
      SUBMITTED: 1,
      EVIDENCE_UPLOADED: new Set(app.evidence.map((e) => e.documentType)).size,
      EVIDENCE_SUBMITTED: 1,
      REVIEW_ROUND_OPENED: 1,
      REVIEW_DECIDED: REVIEW_PARTIES.length,
      ROUND_ENDED: 1,
      UPGRADED: 1,
    };
    const wrong = Object.entries(expected).filter(([type, n]) => count(type) !== n);
    if (wrong.length > 0) {
      rec.violate({
        check: 'timeline',
        ...who,
        applicationId: app.id,
        detail: `timeline entries ${wrong.map(([type, n]) => `${type} ×${count(type)} (expected ${n})`).join(', ')}`,
        data: { timeline: app.timeline.map((t) => t.type) },
      });
    }
  }

  // Every acknowledged request.
  const acked: string[] = [];
  if (repair.firstApply && !applications.some((a) => a.id === repair.firstApply?.id)) {
    acked.push(
      `POST /applications answered ${repair.firstApply.status} with ${repair.firstApply.id}, which is gone`,
    );
  }
  const app = applications.find((a) => a.id === repair.applicationId);
  if (app !== undefined) {
    for (const ticket of repair.tickets) {
      if (!app.evidence.some((e) => e.evidenceId === ticket.evidenceId)) {
        acked.push(`evidence ticket ${ticket.evidenceId} (${ticket.documentType}) answered 201 and is gone`);
      }
    }
    if (repair.submits.length > 0 && app.status === 'AWAITING_EVIDENCE') {
      acked.push(
        `evidence/submit answered 202 (life ${repair.submits[0]?.life}) and the application is AWAITING_EVIDENCE`,
      );
    }
    for (const decision of repair.decisions) {
      const review = app.reviews.find((r) => r.party === decision.party);
      if (app.round === decision.round && review?.status !== 'APPROVED') {
        acked.push(
          `${decision.party}'s approval answered 200 (life ${decision.life}) and the review is ${review?.status ?? 'absent'}`,
        );
      }
    }
  }
  for (const detail of acked) {
    rec.violate({
      check: 'acknowledged',
      ...who,
      ...(repair.applicationId ? { applicationId: repair.applicationId } : {}),
      detail,
    });
  }
}

/** The officer's setup: every enterprise, paid fact and reviewer the API acknowledged. */
export async function checkSetupAcks(world: World): Promise<void> {
  for (const fact of world.acks.facts) {
    const reply = await officerGet(world, `/enterprises/${fact.enterpriseId}`);
    const stored = (reply.body as unknown as EnterpriseView).facts?.find((f) => f.id === fact.factId);
    if (reply.status !== 200 || stored?.paidOn !== fact.paidOn) {
      world.rec.violate({
        check: 'acknowledged',
        enterpriseId: fact.enterpriseId,
        detail: `the registered enterprise or its paid fact ${fact.factId} is not as acknowledged (GET ${reply.status})`,
      });
    }
  }
  const directory = await officerGet(world, '/reviewers');
  for (const party of world.acks.reviewers) {
    const entry = (directory.body.items as { party: string; email: string }[] | undefined)?.find(
      (r) => r.party === party,
    );
    if (entry?.email !== reviewerEmail(party)) {
      world.rec.violate({
        check: 'acknowledged',
        detail: `PUT /reviewers/${party} answered 200 and the directory has ${entry?.email ?? 'nothing'}`,
      });
    }
  }
}

/** CONTRACT.md: the same key and body answer the first application, byte for byte, never APPLICATION_OPEN. */
export async function checkSameKeyRetry(world: World, repair: Repair, state: FinalState): Promise<void> {
  const created =
    repair.firstApply?.id ?? (state.applications.length === 1 ? state.applications[0]?.id : undefined);
  const reply = await world.api.once('same-key retry', 'POST', '/applications', {
    token: repair.token,
    headers: { 'idempotency-key': repair.idempotencyKey },
    json: repair.body,
  });
  const who = { enterpriseId: repair.enterpriseId, ...(created ? { applicationId: created } : {}) };
  if (reply === undefined) {
    world.rec.violate({ check: 'same-key', ...who, detail: 'the final same-key retry got no answer' });
    return;
  }
  if (reply.status !== 201 || String(reply.body.id) !== created) {
    world.rec.violate({
      check: 'same-key',
      ...who,
      detail: `the final same-key retry answered ${reply.status} ${String(reply.body.code ?? '')} ${String(reply.body.id ?? reply.body.openApplicationId ?? '')}, not 201 with ${created ?? 'the application'}`,
    });
    return;
  }
  if (repair.firstApply !== undefined && reply.text !== repair.firstApply.text) {
    world.rec.violate({
      check: 'same-key',
      ...who,
      detail: 'the final same-key retry answered the application, but not byte for byte as the first time',
    });
  }
}

// ---------------------------------------------------------------------------------------------
// what the runtime sent: events and emails

interface RecordedEvent {
  id: string;
  detailType: string;
  detail: { enterpriseId?: string; changeId?: string; fromTier?: string; toTier?: string };
}

export async function readEvents(dataDir: string): Promise<{ events: RecordedEvent[]; tornLines: number }> {
  let text = '';
  try {
    text = await readFile(join(dataDir, 'events.jsonl'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const events: RecordedEvent[] = [];
  let tornLines = 0;
  for (const line of text.split('\n').filter((l) => l.length > 0)) {
    try {
      events.push(JSON.parse(line) as RecordedEvent);
    } catch {
      tornLines += 1;
    }
  }
  return { events, tornLines };
}

/** One ListingChanged per enterprise: copies with one changeId are one change; different ones are a violation. */
export async function checkListingChanges(
  rec: RunRecorder,
  dataDir: string,
  repairs: readonly Repair[],
): Promise<number> {
  const { events, tornLines } = await readEvents(dataDir);
  if (tornLines > 0) {
    rec.violate({
      check: 'listing-change',
      detail: `${tornLines} line(s) of events.jsonl are not JSON (torn by a kill)`,
    });
  }
  let resends = 0;
  for (const repair of repairs) {
    const mine = events.filter(
      (e) => e.detailType === 'ListingChanged' && e.detail.enterpriseId === repair.enterpriseId,
    );
    const changes = new Map<string, RecordedEvent[]>();
    for (const event of mine) {
      const key = event.detail.changeId ?? `(no changeId: event ${event.id})`;
      changes.set(key, [...(changes.get(key) ?? []), event]);
    }
    if (changes.size !== 1) {
      rec.violate({
        check: 'listing-change',
        enterpriseId: repair.enterpriseId,
        detail:
          changes.size === 0
            ? 'no ListingChanged event'
            : `${changes.size} different listing changes: ${[...changes.keys()].join(', ')}`,
      });
    }
    for (const [changeId, copies] of changes) {
      if (copies.length > 1) {
        resends += copies.length - 1;
        rec.note({
          kind: 'ListingChanged resent with its changeId',
          enterpriseId: repair.enterpriseId,
          detail: `${changeId} × ${copies.length}`,
        });
      }
      const transition = copies[0]?.detail;
      if (transition && (transition.fromTier !== 'DISHONEST' || transition.toTier !== 'REGULAR')) {
        rec.violate({
          check: 'listing-change',
          enterpriseId: repair.enterpriseId,
          detail: `the change is ${transition.fromTier} → ${transition.toTier}`,
        });
      }
    }
  }
  return resends;
}

interface SentCopy {
  readonly message: OutboxMessage;
  readonly writtenAtMs: number;
}

/** When each outbox message was written (its sidecar's mtime: the wall clock, comparable with kills). */
async function writtenAt(dataDir: string, message: OutboxMessage): Promise<number> {
  try {
    return (await stat(join(dataDir, 'outbox', `${message.id}.json`))).mtimeMs;
  } catch {
    return Number.NaN;
  }
}

/** Whether a kill fell between two copies, at most CRASH_WINDOW_MS after the first. */
const crashBetween = (lives: readonly Life[], first: number, next: number): boolean =>
  lives.some(
    (l) =>
      l.killedAtMs !== undefined &&
      l.killedAtMs >= first &&
      l.killedAtMs - first <= CRASH_WINDOW_MS &&
      l.killedAtMs < next,
  );

/**
 * Each approved application's outcome email to the applicant and to the parties: sent at least once,
 * and never twice unless a kill fell in the window between sending and recording it.
 */
export async function checkOutcomeEmails(
  rec: RunRecorder,
  dataDir: string,
  messages: readonly OutboxMessage[],
  repairs: readonly Repair[],
  lives: readonly Life[],
): Promise<number> {
  let allowedResends = 0;
  for (const repair of repairs) {
    const id = repair.applicationId;
    if (id === undefined || repair.finalStatus !== 'APPROVED') continue;
    const outcomes = messages.filter((m) => /Credit repair outcome/.test(m.subject) && m.text.includes(id));
    const audiences = {
      applicant: outcomes.filter((m) => m.to.includes(repair.contactEmail)),
      parties: outcomes.filter((m) => REVIEW_PARTIES.some((p) => m.to.includes(reviewerEmail(p)))),
    };
    for (const [audience, copies] of Object.entries(audiences)) {
      const who = { enterpriseId: repair.enterpriseId, applicationId: id };
      if (copies.length === 0) {
        rec.violate({ check: 'outcome-email', ...who, detail: `no outcome email to the ${audience}` });
        continue;
      }
      const timed: SentCopy[] = await Promise.all(
        copies.map(async (message) => ({ message, writtenAtMs: await writtenAt(dataDir, message) })),
      );
      timed.sort((a, b) => a.writtenAtMs - b.writtenAtMs);
      for (let i = 1; i < timed.length; i++) {
        const first = timed[i - 1]!.writtenAtMs;
        const next = timed[i]!.writtenAtMs;
        if (crashBetween(lives, first, next)) {
          allowedResends += 1;
          rec.note({
            kind: 'outcome email resent after a kill in its send-then-record window',
            ...who,
            detail: audience,
          });
        } else {
          rec.violate({
            check: 'outcome-email',
            ...who,
            detail: `the outcome email to the ${audience} was sent ${timed.length} times (copy ${i + 1} ${Math.round(next - first)} ms after the previous, no kill in between)`,
          });
        }
      }
    }
  }
  return allowedResends;
}

export const violationsOf = (violations: readonly Violation[], check: Violation['check']): Violation[] =>
  violations.filter((v) => v.check === check);
