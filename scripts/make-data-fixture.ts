/**
 * Makes a data folder with the code of an earlier commit, for the tests that check a later commit
 * still starts on it and reads it (docs/data-model.md, "Stored shapes changed by revision 2").
 *
 *   npm exec -- tsx scripts/make-data-fixture.ts <commit> <out-dir>
 *   npm exec -- tsx scripts/make-data-fixture.ts fe259ef test/fixtures/data-fe259ef
 *
 * It checks the commit out beside this one (`git worktree add --detach`, sharing this checkout's
 * node_modules), runs its `npm start --no-demo` on a new data folder, and drives it over
 * the HTTP API of CONTRACT.md only, so the same script serves any commit that speaks that API: an
 * approved repair, applications left awaiting evidence, under review and in round 2, a listing the
 * sweep restored, fines judged under the oldest policy. Then it stops the runtime with SIGTERM,
 * copies the folder to <out-dir> (without its keys: a private key has no place in the
 * repository, and the runtime makes new ones), compacts its LevelDB log into a table file, and
 * writes <out-dir>/fixture.json, which names what is where. The simulated clock is saved in the folder, so the data means the same on any later day.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
// The LevelDB binding dynalite keeps its tables with: only to compact the copied folder.
import { ClassicLevel } from 'classic-level';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));
const [commitArg, outArg] = process.argv.slice(2);
if (commitArg === undefined || outArg === undefined) {
  console.error('usage: tsx scripts/make-data-fixture.ts <commit> <out-dir>');
  process.exit(2);
}
const commit = execFileSync('git', ['rev-parse', '--short', commitArg], { cwd: REPOSITORY_ROOT })
  .toString()
  .trim();
const outDir = resolve(outArg);
/**
 * Files of the data folder the fixture leaves out: keys have no place in the repository, and the
 * runtime makes new ones on start (the token signing key, the embedded services' key pair).
 */
const LEFT_OUT = new Set([
  'dev-signing-key.jwk.json',
  'aws-credentials.json',
  // The data-folder lock names a process of the machine that made the fixture (npm can exit on
  // SIGTERM before the runtime under it has released it).
  'lock',
  'lock.takeover',
]);

const shanghaiDate = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

class Api {
  constructor(readonly base: string) {}

  async call(method: string, path: string, token?: string, json?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      headers['idempotency-key'] = `fixture-${Math.random().toString(36).slice(2)}`;
    }
    const response = await fetch(new URL(path, this.base), {
      method,
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // an HTML page
    }
    return { status: response.status, body };
  }

  async expect(status: number, method: string, path: string, token?: string, json?: unknown): Promise<Reply> {
    const reply = await this.call(method, path, token, json);
    if (reply.status !== status) {
      throw new Error(
        `${method} ${path}: ${reply.status}, expected ${status}: ${JSON.stringify(reply.body)}`,
      );
    }
    return reply;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startOld(worktree: string, dataDir: string): Promise<{ process: ChildProcess; url: string }> {
  // Without the demo data: the fixture stays small, and holds only what the scenario below makes.
  const child = spawn('npm', ['start', '--', '--no-demo'], {
    cwd: worktree,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SMTP_URL: '',
      SWEEP_INTERVAL_MS: '3600000',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${stdout}\n${output}`)));
  });
  return { process: child, url };
}

async function stopOld(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

/** The application's life up to where the fixture leaves it, over HTTP as an applicant and reviewers drive it. */
class Driver {
  readonly #api: Api;
  #officer = '';
  today = '';

  constructor(api: Api) {
    this.#api = api;
  }

  async init(): Promise<void> {
    this.#officer =
      ((await this.#api.expect(200, 'GET', '/_local/token?role=officer')).body.token as string) ?? '';
    this.today = shanghaiDate(
      new Date((await this.#api.expect(200, 'GET', '/_local/clock')).body.now as string),
    );
    for (const [party, prefix] of [
      ['CUSTOMS', 'customs'],
      ['TAX', 'tax'],
      ['MARKET_REGULATION', 'market'],
      ['FINANCIAL_REGULATION', 'finance'],
    ] as const) {
      await this.#api.expect(200, 'PUT', `/reviewers/${party}`, this.#officer, {
        name: `${party} reviewer`,
        email: `${prefix}.reviewer@example.org`,
        escalationEmail: `${prefix}.lead@example.org`,
      });
    }
  }

  async enterprise(id: string, name: string): Promise<string> {
    await this.#api.expect(201, 'POST', '/enterprises', this.#officer, {
      id,
      name,
      contactEmail: `contact@${id.toLowerCase()}.example.org`,
    });
    return id;
  }

  async fact(enterpriseId: string, fact: Record<string, unknown>, paidOn?: string): Promise<string> {
    const reply = await this.#api.expect(
      201,
      'POST',
      `/enterprises/${enterpriseId}/facts`,
      this.#officer,
      fact,
    );
    const factId = (reply.body.fact as { id: string }).id;
    if (paidOn !== undefined) {
      await this.#api.expect(
        200,
        'POST',
        `/enterprises/${enterpriseId}/facts/${factId}/payment`,
        this.#officer,
        {
          paidOn,
        },
      );
    }
    return factId;
  }

  /** DISHONEST for tax arrears paid eight months ago: may apply today. */
  async eligible(id: string, name: string): Promise<string> {
    await this.enterprise(id, name);
    await this.fact(
      id,
      { type: 'TAX_ASSESSMENT', amount: 80_000, dueOn: addMonths(this.today, -12) },
      addMonths(this.today, -8),
    );
    return id;
  }

  async applicant(enterpriseId: string): Promise<string> {
    return (await this.#api.expect(200, 'GET', `/_local/token?role=applicant&enterprise=${enterpriseId}`))
      .body.token as string;
  }

  async apply(enterpriseId: string): Promise<{ id: string; token: string; documents: string[] }> {
    const token = await this.applicant(enterpriseId);
    const created = await this.#api.expect(201, 'POST', '/applications', token, {
      enterpriseId,
      statement: 'Every amount owed is paid; we ask for credit repair.',
    });
    return { id: created.body.id as string, token, documents: created.body.requiredDocuments as string[] };
  }

  async upload(applicationId: string, token: string, documentType: string): Promise<void> {
    const file = Buffer.from(`%PDF-1.4\n% ${documentType} of ${applicationId}\n%%EOF\n`);
    const ticket = await this.#api.expect(201, 'POST', `/applications/${applicationId}/evidence`, token, {
      documentType,
      fileName: `${documentType.toLowerCase()}.pdf`,
      contentType: 'application/pdf',
      size: file.length,
    });
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), `${documentType}.pdf`);
    const stored = await fetch(upload.url, { method: 'POST', body: form });
    if (stored.status >= 300) throw new Error(`upload of ${documentType}: ${stored.status}`);
  }

  async submit(applicationId: string, token: string): Promise<void> {
    await until('the evidence wait', async () => {
      const reply = await this.#api.call('POST', `/applications/${applicationId}/evidence/submit`, token);
      if (reply.status === 409) return undefined;
      if (reply.status !== 202) throw new Error(`submit: ${reply.status} ${JSON.stringify(reply.body)}`);
      return true;
    });
  }

  async links(applicationId: string, round = 1): Promise<Record<'CUSTOMS' | 'TAX', string>> {
    return until(`review links of ${applicationId}`, async () => {
      const messages = (await this.#api.expect(200, 'GET', '/_local/outbox')).body as unknown as {
        to: string[];
        text: string;
        links: string[];
      }[];
      const of = (email: string) =>
        messages
          .filter((m) => m.to.includes(email) && m.text.includes(applicationId))
          .flatMap((m) => m.links.filter((l) => l.includes('/review/')))[round - 1];
      const customs = of('customs.reviewer@example.org');
      const tax = of('tax.reviewer@example.org');
      return customs && tax ? { CUSTOMS: customs, TAX: tax } : undefined;
    });
  }

  async decide(link: string, decision: string, comment?: string): Promise<void> {
    const page = await (await fetch(link)).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1];
    if (nonce === undefined) throw new Error(`no form at ${link}`);
    const response = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision, nonce, ...(comment ? { comment } : {}) }).toString(),
    });
    if (response.status !== 200) throw new Error(`decision at ${link}: ${response.status}`);
  }

  async status(applicationId: string): Promise<{ status: string; round: number }> {
    const body = (await this.#api.expect(200, 'GET', `/applications/${applicationId}`, this.#officer)).body;
    return { status: body.status as string, round: body.round as number };
  }

  /** What the API says of an enterprise: the commit reading the folder later must say the same. */
  async view(enterpriseId: string): Promise<Record<string, unknown>> {
    const body = (await this.#api.expect(200, 'GET', `/enterprises/${enterpriseId}`, this.#officer)).body;
    return { tier: body.tier, causes: body.causes };
  }

  async sweep(): Promise<Record<string, unknown>> {
    return (await this.#api.expect(200, 'POST', '/_local/sweep')).body;
  }
}

async function drive(api: Api): Promise<Record<string, unknown>> {
  const d = new Driver(api);
  await d.init();

  // A repair approved by both parties: revision 1 stored it as a REPAIRED restoration.
  const repaired = await d.eligible('FXREPAIR01', 'Repaired Trading Co.');
  const repair = await d.apply(repaired);
  for (const type of repair.documents) await d.upload(repair.id, repair.token, type);
  await d.submit(repair.id, repair.token);
  const repairLinks = await d.links(repair.id);
  await d.decide(repairLinks.CUSTOMS, 'APPROVE');
  await d.decide(repairLinks.TAX, 'APPROVE');
  await until('the repair', async () =>
    (await d.status(repair.id)).status === 'APPROVED' ? true : undefined,
  );

  // Applications left open: awaiting evidence, under review, and in round 2.
  const awaiting = await d.eligible('FXAWAIT001', 'Awaiting Evidence Ltd.');
  const awaitingApp = await d.apply(awaiting);
  await d.upload(awaitingApp.id, awaitingApp.token, 'REPAIR_APPLICATION');

  const reviewing = await d.eligible('FXREVIEW01', 'Under Review Ltd.');
  const reviewApp = await d.apply(reviewing);
  for (const type of reviewApp.documents) await d.upload(reviewApp.id, reviewApp.token, type);
  await d.submit(reviewApp.id, reviewApp.token);
  const reviewLinks = await d.links(reviewApp.id);

  const roundTwo = await d.eligible('FXROUND201', 'Second Round Ltd.');
  const roundTwoApp = await d.apply(roundTwo);
  for (const type of roundTwoApp.documents) await d.upload(roundTwoApp.id, roundTwoApp.token, type);
  await d.submit(roundTwoApp.id, roundTwoApp.token);
  const firstRound = await d.links(roundTwoApp.id);
  await d.decide(firstRound.CUSTOMS, 'REQUEST_CHANGES', 'The tax receipt is unreadable.');
  await d.decide(firstRound.TAX, 'APPROVE');
  await until('round 2', async () => ((await d.status(roundTwoApp.id)).round === 2 ? true : undefined));

  // A listing over by now: arrears old enough that their listing ended under either revision's
  // listing period, paid today.
  const expired = await d.enterprise('FXEXPIRE01', 'Listing Ended Ltd.');
  await d.fact(expired, { type: 'TAX_ASSESSMENT', amount: 30_000, dueOn: addMonths(d.today, -30) }, d.today);
  // Fines judged under the oldest policy, their listing long over: restored by the sweep too. A
  // commit before revision 2 takes them dated before that policy (as data written then could be);
  // from revision 2 on that is refused (BEFORE_FIRST_POLICY), so they are dated within it instead.
  const early = await d.enterprise('FXEARLY001', 'Early Fines Ltd.');
  const rulesRevision = await d
    .fact(
      early,
      { type: 'FINE', amount: 2_000_000, imposedOn: '2020-06-01', dueOn: '2020-06-01' },
      '2020-07-01',
    )
    .then(
      () => 1,
      async (refused: unknown) => {
        if (!String(refused).includes('BEFORE_FIRST_POLICY')) throw refused;
        await d.fact(
          early,
          { type: 'FINE', amount: 2_000_000, imposedOn: '2022-06-01', dueOn: '2022-06-01' },
          '2022-07-01',
        );
        return 2;
      },
    );
  const swept = await d.sweep();
  const enterprises = [repaired, awaiting, reviewing, roundTwo, expired, early];
  const views = Object.fromEntries(
    await Promise.all(enterprises.map(async (id) => [id, await d.view(id)] as const)),
  );

  return {
    commit,
    rulesRevision,
    madeOn: d.today,
    sweep: swept,
    repaired: { enterpriseId: repaired, applicationId: repair.id },
    awaitingEvidence: { enterpriseId: awaiting, applicationId: awaitingApp.id },
    underReview: { enterpriseId: reviewing, applicationId: reviewApp.id, links: reviewLinks },
    roundTwo: { enterpriseId: roundTwo, applicationId: roundTwoApp.id },
    listingRestored: { enterpriseId: expired },
    beforeFirstPolicy: { enterpriseId: early },
    views,
  };
}

const worktree = await mkdtemp(join(tmpdir(), `fixture-${commit}-`));
const dataDir = await mkdtemp(join(tmpdir(), `fixture-${commit}-data-`));
await rm(worktree, { recursive: true, force: true });
execFileSync('git', ['worktree', 'add', '--detach', worktree, commit], {
  cwd: REPOSITORY_ROOT,
  stdio: 'ignore',
});
let child: ChildProcess | undefined;
try {
  await symlink(join(REPOSITORY_ROOT, 'node_modules'), join(worktree, 'node_modules'));
  const started = await startOld(worktree, dataDir);
  child = started.process;
  const manifest = await drive(new Api(started.url));
  await stopOld(child);
  await rm(outDir, { recursive: true, force: true });
  await cp(dataDir, outDir, {
    recursive: true,
    filter: (source) => !LEFT_OUT.has(source.slice(dataDir.length + 1)),
  });
  // LevelDB keeps every write in its log until the log reaches 4 MB; compacting rewrites the same
  // records into a table file, as LevelDB itself would later, and keeps the fixture small.
  const level = new ClassicLevel(join(outDir, 'dynamodb'), {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
  });
  await level.open();
  await level.compactRange(Buffer.alloc(0), Buffer.alloc(64, 0xff));
  await level.close();
  const clock = JSON.parse(await readFile(join(dataDir, 'clock.json'), 'utf8')) as { now: string };
  await writeFile(
    join(outDir, 'fixture.json'),
    `${JSON.stringify({ ...manifest, clock: clock.now }, null, 2)}\n`,
  );
  console.log(`wrote ${outDir} from ${commit}`);
} finally {
  if (child !== undefined) await stopOld(child);
  execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: REPOSITORY_ROOT, stdio: 'ignore' });
  await rm(dataDir, { recursive: true, force: true });
}
