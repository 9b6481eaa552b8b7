import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { addMonths, localDateIn } from '../domain/dates.ts';
import { TABLE_NAME_ENV } from '../functions/composition/environment.ts';
import { TABLE_SCHEMA } from '../functions/ports/store/schema.ts';
import { startEmbeddedRuntime } from '../test/support/embedded-runtime.ts';
import { send, type Reply } from '../test/support/http-client.ts';
import { minimalPdf } from '../test/support/pdf-files.ts';
import type { BenchLine } from './line.ts';
import { DEFAULT_LOCAL_CONCURRENCY } from '../local/gateway/invocation-slots.ts';
import { progress } from './progress.ts';

/**
 * `load.repairs_per_s`: N applications (200; `--applications=N`) driven at once over HTTP on the embedded
 * runtime, each the whole way: apply, announce and upload every required document through its
 * presigned POST, submit, both reviewers open their mailed link and approve, until the application
 * is APPROVED and its enterprise REGULAR. The rate is completed repairs over the wall time from the
 * first POST /applications to the last REGULAR. Registering the enterprises is set-up, not timed.
 *
 * The baseline is the store's own write ceiling in the same run: single-item PutItem calls on the
 * same dynalite (the runtime's table, keys of their own) from as many concurrent clients, so
 * `ratio` (baseline / value, CONTRACT.md) reads "a repair costs as much store time as this many
 * writes". A repair that does not complete in time is named on stderr and counted in the line's
 * `incomplete`; the bench still prints the line (it fails only when it cannot run).
 */

const DEFAULT_REPAIRS = 200;
const QUICK_REPAIRS = 40;
/** How long every repair gets before the unfinished ones are reported: generous, the rate is the figure. */
const DEADLINE_MS = 600_000;
const POLL_MS = 250;
const MAX_POLL_MS = 4_000;
/** One reader for every reviewer: it lists the whole outbox, so not more often than this. */
const OUTBOX_POLL_MS = 1_000;
const CEILING_WRITES = 2_000;

/** The demo directory's reviewers, whom the outbox mails each application's review links. */
const REVIEWERS = ['customs.reviewer@example.org', 'tax.reviewer@example.org'] as const;

export function repairsOptionsFrom(argv: readonly string[], quick: boolean): { repairs: number } {
  const given = argv.find((arg) => arg.startsWith('--applications='))?.slice('--applications='.length);
  const repairs = given === undefined ? (quick ? QUICK_REPAIRS : DEFAULT_REPAIRS) : Number(given);
  if (!Number.isInteger(repairs) || repairs < 1) throw new Error('--applications must be a positive integer');
  return { repairs };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class Unexpected extends Error {}

function expectStatus(reply: Reply, statuses: readonly number[], what: string): Reply {
  if (!statuses.includes(reply.status)) {
    throw new Unexpected(`${what}: ${reply.status} ${reply.text.slice(0, 300)}`);
  }
  return reply;
}

interface OutboxMessage {
  readonly to: string[];
  readonly text: string;
  readonly links: string[];
}

/** One reader of GET /_local/outbox for every waiting reviewer (one listing per interval). */
class Outbox {
  #messages: readonly OutboxMessage[] = [];
  #stopped = false;
  readonly #loop: Promise<void>;

  constructor(baseUrl: string) {
    this.#loop = (async () => {
      while (!this.#stopped) {
        try {
          const reply = await send(baseUrl, 'GET', '/_local/outbox');
          if (reply.status === 200) this.#messages = JSON.parse(reply.text) as OutboxMessage[];
        } catch {
          // A connection reset while the one process serves everyone: read again next time.
        }
        await sleep(OUTBOX_POLL_MS);
      }
    })();
  }

  link(reviewer: string, applicationId: string): string | undefined {
    for (const message of this.#messages) {
      if (!message.to.includes(reviewer) || !message.text.includes(applicationId)) continue;
      const link = message.links.find((l) => l.includes('/review/'));
      if (link !== undefined) return link;
    }
    return undefined;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}

interface Repair {
  readonly enterpriseId: string;
  /** One key for every attempt of its POST /applications, as a client retrying it keeps. */
  readonly idempotencyKey: string;
  token: string;
  applicationId?: string;
  /** Where the repair is: the step it is in, or 'done'. */
  step: string;
  error?: string;
}

/** Answers of 5xx seen (each retried, as a client would), by route. */
type ServerErrors = Map<string, number>;

/**
 * One repair, the applicant's and both reviewers' part, over HTTP only. A 5xx is what a client
 * retries: the gateway's 503 (its queue of requests waiting for a function slot is full, or none
 * freed within the integration limit: the request did not run), a 504 (the handler ran past that
 * limit and may have done its work) or a handler's 500. It is counted by route and status, and the
 * same request made again (POST /applications with its one key; a decision retried after a 5xx
 * may find its link used, 409).
 */
async function runRepair(
  baseUrl: string,
  outbox: Outbox,
  repair: Repair,
  deadline: number,
  serverErrors: ServerErrors,
): Promise<void> {
  const retried = async (what: string, request: () => Promise<Reply>): Promise<Reply> => {
    // Backing off (0.5 s doubling to 8 s, jittered), so retries do not pile onto an overloaded runtime.
    for (let pauseMs = 500; ; pauseMs = Math.min(pauseMs * 2, 8_000)) {
      let reply: Reply | undefined;
      try {
        reply = await request();
        if (reply.status < 500) return reply;
      } catch (error) {
        // A reset connection: the request may or may not have been served, as after a 5xx.
        if (Date.now() > deadline) throw error;
      }
      if (reply !== undefined && Date.now() > deadline) return reply;
      const kind = reply === undefined ? `${what} (connection reset)` : `${what} ${reply.status}`;
      serverErrors.set(kind, (serverErrors.get(kind) ?? 0) + 1);
      // A 503 from the gateway's full queue says when to come back; never sooner than it says.
      const retryAfterMs = Number(reply?.headers['retry-after'] ?? 0) * 1000 || 0;
      await sleep(Math.max(retryAfterMs, pauseMs * (0.5 + Math.random())));
    }
  };
  const as = (method: string, path: string, json?: unknown, key: string = randomUUID()): Promise<Reply> =>
    retried(
      `${method} ${path.replace(repair.applicationId ?? '-', '{id}').replace(repair.enterpriseId, '{id}')}`,
      () =>
        send(baseUrl, method, path, {
          token: repair.token,
          ...(json === undefined ? {} : { json, headers: { 'idempotency-key': key } }),
        }),
    );
  // Polls as a client would: soon at first, then less often (jittered), so 200 clients waiting
  // for their workflows do not keep the functions' queue full with questions.
  const until = async <T>(step: string, attempt: () => Promise<T | undefined>): Promise<T> => {
    repair.step = step;
    for (let pauseMs = POLL_MS; ; pauseMs = Math.min(pauseMs * 1.5, MAX_POLL_MS)) {
      const value = await attempt();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Unexpected(`still waiting at "${step}" when time ran out`);
      await sleep(pauseMs * (0.75 + Math.random() / 2));
    }
  };

  repair.step = 'apply';
  const created = expectStatus(
    await as(
      'POST',
      '/applications',
      { enterpriseId: repair.enterpriseId, statement: 'Taxes paid in full.' },
      repair.idempotencyKey,
    ),
    [200, 201],
    'POST /applications',
  );
  const id = String(created.body.id);
  repair.applicationId = id;
  repair.step = 'evidence';
  for (const documentType of created.body.requiredDocuments as string[]) {
    const file = minimalPdf(`${documentType} of ${repair.enterpriseId}`);
    const ticket = expectStatus(
      await as('POST', `/applications/${id}/evidence`, {
        documentType,
        fileName: `${documentType.toLowerCase()}.pdf`,
        contentType: 'application/pdf',
        size: file.length,
      }),
      [201],
      `POST …/evidence ${documentType}`,
    );
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), `${documentType}.pdf`);
    const stored = await retried('POST upload', async () => {
      const answer = await fetch(upload.url, { method: 'POST', body: form });
      return { status: answer.status, headers: {}, text: await answer.text(), body: {} };
    });
    if (stored.status >= 300) throw new Unexpected(`upload of ${documentType}: ${stored.status}`);
  }
  // 409 until the workflow reaches its evidence wait.
  await until('submit', async () => {
    const reply = await as('POST', `/applications/${id}/evidence/submit`);
    return reply.status === 409 ? undefined : expectStatus(reply, [202], 'POST …/evidence/submit');
  });
  await Promise.all(
    REVIEWERS.map(async (reviewer) => {
      const link = await until('review links', async () => outbox.link(reviewer, id));
      const path = new URL(link).pathname;
      const page = expectStatus(
        await retried('GET /review/{linkId}', () => send(baseUrl, 'GET', path)),
        [200],
        `GET review page (${reviewer})`,
      );
      const nonce = /<input type="hidden" name="nonce" value="([^"]+)">/.exec(page.text)?.[1];
      if (nonce === undefined) throw new Unexpected(`the review page of ${reviewer} has no nonce`);
      let attempts = 0;
      const decided = await retried('POST /review/{linkId}', () => {
        attempts += 1;
        return send(baseUrl, 'POST', path, {
          raw: new URLSearchParams({ decision: 'APPROVE', comment: 'Documents in order.', nonce }).toString(),
          contentType: 'application/x-www-form-urlencoded',
        });
      });
      // After a 5xx, the decision may have been recorded: the retry then finds the link used (409).
      expectStatus(decided, attempts > 1 ? [200, 409] : [200], `POST review decision (${reviewer})`);
    }),
  );
  await until('approval', async () => {
    const app = expectStatus(await as('GET', `/applications/${id}`), [200], 'GET /applications/{id}');
    const status = String(app.body.status);
    if (status === 'APPROVED') return status;
    if (['REJECTED', 'WITHDRAWN', 'EXPIRED'].includes(status)) throw new Unexpected(`ended ${status}`);
    return undefined;
  });
  await until('REGULAR', async () => {
    const enterprise = await as('GET', `/enterprises/${repair.enterpriseId}`);
    return expectStatus(enterprise, [200], 'GET /enterprises/{id}').body.tier === 'REGULAR'
      ? true
      : undefined;
  });
  repair.step = 'done';
}

/** Writes per second the runtime's dynalite takes from `clients` concurrent clients, by kind. */
async function writeCeiling(clients: number): Promise<{ putsPerS: number; conditionalPutsPerS: number }> {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const tableName = process.env[TABLE_NAME_ENV];
  if (endpoint === undefined || tableName === undefined) throw new Error('the runtime set no table');
  const client = new DynamoDBClient({ endpoint });
  const run = `BENCH#${randomUUID().slice(0, 8)}`;
  const rate = async (write: (n: number) => Promise<unknown>): Promise<number> => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let n = next++; n < CEILING_WRITES; n = next++) await write(n);
      }),
    );
    return CEILING_WRITES / ((performance.now() - started) / 1000);
  };
  const item = (pk: string): Record<string, { S: string }> => ({
    [TABLE_SCHEMA.partitionKey.name]: { S: pk },
    [TABLE_SCHEMA.sortKey.name]: { S: 'ceiling' },
    payload: { S: 'x'.repeat(400) },
  });
  try {
    const putsPerS = await rate((n) =>
      client.send(new PutItemCommand({ TableName: tableName, Item: item(`${run}#put#${n}`) })),
    );
    // The store's writes are single-item and conditional (a new item, or the version it read).
    const conditionalPutsPerS = await rate((n) =>
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item(`${run}#new#${n}`),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_SCHEMA.partitionKey.name },
        }),
      ),
    );
    return { putsPerS, conditionalPutsPerS };
  } finally {
    client.destroy();
  }
}

const round = (value: number): number => Number(value.toPrecision(4));

export async function* repairsBench(options: { quick: boolean; repairs?: number }): AsyncIterable<BenchLine> {
  const total = options.repairs ?? (options.quick ? QUICK_REPAIRS : DEFAULT_REPAIRS);
  progress('repairs: starting the embedded runtime');
  const embedded = await startEmbeddedRuntime('bench-repairs');
  const { runtime } = embedded;
  const baseUrl = runtime.url;
  try {
    const officer = runtime.tokens.officer;
    const today = localDateIn(runtime.clock.now());
    const prefix = `R${String(Date.now()).slice(-3)}`;
    const repairs: Repair[] = Array.from({ length: total }, (_, n) => ({
      enterpriseId: `${prefix}${String(n).padStart(6, '0')}`,
      idempotencyKey: randomUUID(),
      token: '',
      step: 'registered',
    }));

    progress(`repairs: registering ${total} eligible enterprises (tax arrears paid eight months ago)`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let n = next++; n < total; n = next++) {
          const repair = repairs[n] as Repair;
          const id = repair.enterpriseId;
          const asOfficer = { token: officer };
          expectStatus(
            await send(baseUrl, 'POST', '/enterprises', {
              ...asOfficer,
              json: { id, name: `Repair ${id}`, contactEmail: `ops@${id.toLowerCase()}.test` },
            }),
            [201],
            'POST /enterprises',
          );
          const fact = expectStatus(
            await send(baseUrl, 'POST', `/enterprises/${id}/facts`, {
              ...asOfficer,
              json: { type: 'TAX_ASSESSMENT', amount: 80_000, dueOn: addMonths(today, -12) },
            }),
            [201],
            'POST …/facts',
          );
          const factId = (fact.body.fact as { id: string }).id;
          expectStatus(
            await send(baseUrl, 'POST', `/enterprises/${id}/facts/${factId}/payment`, {
              ...asOfficer,
              json: { paidOn: addMonths(today, -8) },
            }),
            [200],
            'POST …/payment',
          );
          const token = await send(baseUrl, 'GET', `/_local/token?role=applicant&enterprise=${id}`);
          repair.token = String(expectStatus(token, [200], 'GET /_local/token').body.token);
        }
      }),
    );

    progress(`repairs: ${total} repairs at once (apply, 3 documents, submit, 2 approvals, REGULAR)`);
    const outbox = new Outbox(baseUrl);
    const started = performance.now();
    const deadline = Date.now() + DEADLINE_MS;
    let done = 0;
    const serverErrors: ServerErrors = new Map();
    const ticker = setInterval(() => {
      const steps = new Map<string, number>();
      for (const r of repairs) {
        const step = r.error === undefined ? r.step : `failed at ${r.step}`;
        steps.set(step, (steps.get(step) ?? 0) + 1);
      }
      progress(`repairs: ${JSON.stringify(Object.fromEntries(steps))}`);
    }, 5_000);
    try {
      await Promise.all(
        repairs.map(async (repair) => {
          try {
            await runRepair(baseUrl, outbox, repair, deadline, serverErrors);
            done += 1;
          } catch (error) {
            repair.error = error instanceof Error ? error.message : String(error);
            progress(`repairs: ${repair.enterpriseId} failed at ${repair.step}: ${repair.error}`);
          }
        }),
      );
    } finally {
      clearInterval(ticker);
      await outbox.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const incomplete = repairs.filter((r) => r.step !== 'done');
    for (const r of incomplete) {
      progress(
        `repairs: NOT COMPLETED ${r.enterpriseId} ${r.applicationId ?? ''} at ${r.step}: ${r.error ?? ''}`,
      );
    }

    const clients = Math.min(total, 64);
    progress(
      `repairs: the store's write ceiling (${CEILING_WRITES} PutItem, then as many conditional ones, ${clients} clients)`,
    );
    const ceiling = await writeCeiling(clients);
    const repairsPerS = done / seconds;
    yield {
      name: 'load.repairs_per_s',
      value: round(repairsPerS),
      unit: 'repairs/s',
      baseline: round(ceiling.putsPerS),
      ratio: round(ceiling.putsPerS / repairsPerS),
      params: {
        repairs: total,
        completed: done,
        incomplete: incomplete.length,
        allCompleted: incomplete.length === 0,
        serverErrorsRetried: JSON.stringify(Object.fromEntries(serverErrors)),
        handlerSlots: DEFAULT_LOCAL_CONCURRENCY,
        seconds: round(seconds),
        conditionalPutsPerS: round(ceiling.conditionalPutsPerS),
        ceilingClients: clients,
        baseline: 'PutItem/s on the same dynalite, same run (the store write ceiling)',
        ratioMeans:
          'store writes per second over repairs per second: one repair costs this many writes of store time',
      },
    };
  } finally {
    await embedded.stop();
  }
}
