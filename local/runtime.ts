/**
 * The embedded runtime: the whole system on one machine, composed from the same handler modules,
 * route table, table schema and state machine definition as the deployed system (DESIGN.md).
 *
 * What runs where (every service on loopback; only the gateway on HOST:PORT):
 * - dynalite (DynamoDB API) with LevelDB under `<dataDir>/dynamodb`;
 * - s3rver (S3 API) with files under `<dataDir>/s3`, the evidence bucket configured;
 * - the EventBridge endpoint, appending events to `<dataDir>/events.jsonl`;
 * - the Step Functions engine running the rendered ASL, its task functions in-process;
 * - mail to `<dataDir>/outbox` (or SMTP when SMTP_URL is set);
 * - the simulated clock in `<dataDir>/clock.json`, the dev signing key, the demo manifest;
 * - the HTTP gateway serving the route table and the `/_local/*` controls.
 *
 * Handlers find the services through the standard SDK endpoint variables, which are set here
 * before any handler module is imported (they are all imported lazily, on first use).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { ROUTES } from '../functions/api/routes.ts';
import { documentClient, dynamoClient } from '../functions/adapters/dynamodb/client.ts';
import { unindexedEnterpriseIds } from '../functions/adapters/dynamodb/unindexed-profiles.ts';
import { backfillEnterpriseIndex } from '../functions/usecases/enterprises/reindex.ts';
import { resetAwsClients } from '../functions/adapters/aws-clients.ts';
import { installPorts } from '../functions/composition/installed.ts';
import { workflow } from '../functions/composition/workflow.ts';
import { OutboxMailer } from '../functions/adapters/outbox/mailer.ts';
import { SmtpMailer } from '../functions/adapters/smtp/mailer.ts';
import type { WorkflowClient } from '../functions/ports/workflow.ts';
import { localDateIn, type LocalDate } from '../domain/dates.ts';
import {
  MAIL_ENV,
  EVENT_BUS_NAME_ENV,
  EVIDENCE_BUCKET_ENV,
  TABLE_NAME_ENV,
  STATE_MACHINE_ARN_ENV,
  LINK_SECRET_ENV,
  SWEEP_PAGE_ENV,
} from '../functions/composition/environment.ts';
import { applicationStatusPartition } from '../functions/ports/store/keys.ts';
import type { Store, StoredItem } from '../functions/ports/store/store.ts';
import { store as storePort } from '../functions/composition/store.ts';
import { createTable } from '../functions/adapters/dynamodb/create-table.ts';
import { loadApplication } from '../functions/usecases/applications/records.ts';
import { OPEN_STATUSES } from '../domain/vocabulary.ts';
import { renderedAsl, LOCAL_ASL_ENVIRONMENT } from '../workflows/rendered-asl.ts';
import {
  REPAIR_APPLICATION_STATE_MACHINE_ID,
  SWEEP_MODULE,
  SWEEP_STATE_MACHINE_ID,
  sweepFunctionNameFor,
} from '../workflows/state-machine-names.ts';
import {
  functionNameFor,
  HANDLER_EXPORT,
  TASK_NAMES,
  taskForFunctionName,
  WORKFLOW_TASKS,
} from '../workflows/task-names.ts';
import { consoleOutDir } from '../console/build/variants.ts';
import { consoleRoutes } from './console-site.ts';
import { installCrashAt } from './crash-at.ts';
import { localControlRoutes } from './controls.ts';
import { FaultBook, type FaultRequest } from './faults/faults.ts';
import { FaultyMailer } from './faults/faulty-mailer.ts';
import { installSdkFaults } from './faults/sdk-faults.ts';
import { loadDevAuth } from './dev-auth.ts';
import { loadDemoData, type DemoEnterprise } from './demo-data.ts';
import { LocalEventBridge } from './eventbridge-endpoint.ts';
import { gatewayListener, isLoopbackHost, type InvocationLimits } from './gateway/gateway.ts';
import { FrontDoor } from './gateway/front-door.ts';
import { DATA_FOLDER_MODE, restrictDataFolder } from './data-folder-permissions.ts';
import { LambdaRegistry, type LambdaHandler } from './lambda-registry.ts';
import { installInvocationScopes, MAX_CONCURRENCY_ENV } from './invocation-scope.ts';
import { DEFAULT_LOCAL_CONCURRENCY } from './gateway/invocation-slots.ts';
import { repairIndexEntries } from './services/dynalite-index-repair.ts';
import { lockDataFolder } from './services/data-folder-lock.ts';
import { startLocalDynamoDb } from './services/dynamodb.ts';
import { startLocalS3 } from './services/s3.ts';
import { runtimeCredentials } from './services/credentials.ts';
import { SimulatedClock } from './services/simulated-clock.ts';
import { startSweepTimer, sweepRunner, type SweepCounts } from './services/sweep.ts';
import { SWEEP_FUNCTION_KEY } from './call-attribution.ts';
import { LocalStepFunctionsEndpoint } from './stepfunctions/endpoint.ts';
import { LocalStepFunctions } from './stepfunctions/engine.ts';

export const LOCAL_TABLE_NAME = 'credit-repair';
export const LOCAL_EVIDENCE_BUCKET = 'credit-repair-evidence';
export const LOCAL_EVENT_BUS_NAME = 'credit-repair-listing';
export const LOCAL_SENDER_EMAIL = 'credit-repair@localhost';
/** Mail goes to this SMTP server (nodemailer's URL form) instead of the outbox folder. */
export const SMTP_URL_ENV = 'SMTP_URL';
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** The data folder's layout; the README describes it for users. */
export const DATA_LAYOUT = {
  dynamodb: 'dynamodb',
  /** Written once dynalite's index entries are all keyed by the whole table key (rebuilt if need be). */
  dynamodbIndexKeys: 'dynamodb-index-keys.json',
  s3: 's3',
  outbox: 'outbox',
  events: 'events.jsonl',
  clock: 'clock.json',
  demo: 'demo.json',
  linkSecret: 'link-secret',
  credentials: 'aws-credentials.json',
} as const;

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface RuntimeOptions {
  readonly dataDir: string;
  readonly host?: string;
  /** 0 for any free port. */
  readonly port?: number;
  /** Load demo data into a new data folder (default true). */
  readonly demo?: boolean;
  readonly sweepIntervalMs?: number;
  /** No progress lines on stderr. */
  readonly quiet?: boolean;
  /**
   * Serve beyond loopback (`--expose`): `publicHost` is the name clients use (the Host check allows
   * it, links name it), and the `/_local/*` controls need a fresh operator key. Without it, a host
   * that is not loopback is refused.
   */
  readonly expose?: { readonly publicHost: string };
  /** Faults armed at start (LOCAL_FAULTS); more through /_local/faults. */
  readonly faults?: readonly FaultRequest[];
  /**
   * Pause before each state machine retry, in ms, instead of the definition's backoff (2 s doubling):
   * tests of retried faults use a short one. Which errors are retried, and how often, stays as defined.
   */
  readonly retryPauseMs?: number;
  /**
   * The sweep's page limits (SWEEP_PAGE_SIZE, SWEEP_PAGES_PER_PLAN): tests and the benchmark cut
   * a day into small pages to exercise the fan-out; the deployed defaults otherwise.
   */
  readonly sweepPages?: { readonly pageSize?: number; readonly pagesPerPlan?: number };
  /**
   * Lambda concurrency at the gateway (LOCAL_CONCURRENCY, LOCAL_QUEUE_LIMIT, LOCAL_SLOT_WAIT_MS): at
   * most `concurrency` route handlers run at once (16), up to `maxQueued` requests wait for a slot
   * (1,000), each for at most `maxWaitMs` (15,000: the integration limit less the function
   * timeout); see local/gateway/invocation-slots.ts.
   */
  readonly invocations?: InvocationLimits;
}

export interface DemoApplicant extends DemoEnterprise {
  readonly token: string;
}

export interface RuntimeTokens {
  readonly officer: string;
  readonly applicants: readonly DemoApplicant[];
}

export interface Runtime {
  /** The gateway's base URL, `http://HOST:PORT`. */
  readonly url: string;
  readonly dataDir: string;
  readonly tokens: RuntimeTokens;
  /** The demo enterprises of this data folder (empty when it has none). */
  readonly demo: readonly DemoEnterprise[];
  /** Whether the data folder was new (its table was created by this start). */
  readonly fresh: boolean;
  /** Applications whose executions were started again on start. */
  readonly restarted: readonly string[];
  readonly clock: SimulatedClock;
  readonly engine: LocalStepFunctions;
  readonly lambda: LambdaRegistry;
  /** Runs the daily sweep now, as POST /_local/sweep does: one execution of the Sweep state machine. */
  runSweep(): Promise<SweepCounts>;
  /** The key `/_local/*` needs when exposed (printed in the start banner only). */
  readonly operatorKey?: string;
  /** The armed faults (LOCAL_FAULTS, /_local/faults). */
  readonly faults: FaultBook;
  stop(): Promise<void>;
}

/** Sets variables and remembers what they were, so stop() leaves the process as it found it. */
class EnvScope {
  readonly #previous = new Map<string, string | undefined>();

  set(name: string, value: string): void {
    if (!this.#previous.has(name)) this.#previous.set(name, process.env[name]);
    process.env[name] = value;
  }

  unset(name: string): void {
    if (!this.#previous.has(name)) this.#previous.set(name, process.env[name]);
    delete process.env[name];
  }

  restore(): void {
    for (const [name, value] of this.#previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.#previous.clear();
  }
}

/** The step a sweep invocation runs (functions/schedule/sweep.ts), for faults aimed at one step. */
function sweepStepOf(payload: unknown): string | undefined {
  const step = (payload as { step?: unknown } | null)?.step;
  return typeof step === 'string' ? step : undefined;
}

/**
 * A handler that imports its module on first invocation: the module reads the environment this
 * runtime has set, and a module written while the runtime runs is picked up (a failed import is
 * not cached).
 */
function lazyTaskHandler(module: string): LambdaHandler<unknown> {
  let loading: Promise<LambdaHandler<unknown>> | undefined;
  const load = (): Promise<LambdaHandler<unknown>> => {
    loading ??= (async () => {
      const url = pathToFileURL(resolve(REPOSITORY_ROOT, module)).href;
      const loaded = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      const handler = loaded[HANDLER_EXPORT];
      if (typeof handler !== 'function') throw new Error(`${module} exports no function ${HANDLER_EXPORT}`);
      return handler as LambdaHandler<unknown>;
    })();
    loading.catch(() => {
      loading = undefined;
    });
    return loading;
  };
  return async (event: unknown, context: Context) => (await load())(event as never, context);
}

/** The origins the console is served from: the runtime's URL, and both loopback spellings on loopback. */
function consoleOrigins(url: string, host: string, port: number): string[] {
  const origins = new Set([new URL(url).origin]);
  if (isLoopbackHost(host.replace(/^\[|\]$/g, ''))) {
    origins.add(`http://127.0.0.1:${port}`);
    origins.add(`http://localhost:${port}`);
  }
  return [...origins];
}

/** A random secret kept in the data folder (created on first use, readable by its owner only). */
async function dataFolderSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const secret = randomBytes(32).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

async function readDemoManifest(file: string): Promise<DemoEnterprise[]> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { enterprises: DemoEnterprise[] }).enterprises;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Executions live in memory, so after a stop every application the workflow still owes something
 * gets a new one, and it fast-forwards: the open ones (byStatus index), and the decided ones that
 * were not closed out (they stay in the due index until their last step ran). Returns their ids.
 */
export async function restartOpenApplications(
  ports: { readonly store: Store; readonly workflow: WorkflowClient },
  today: LocalDate,
): Promise<string[]> {
  const { store } = ports;
  const owed = new Map<string, string | undefined>();
  for (const status of OPEN_STATUSES) {
    const items = await store.queryAll<ApplicationIndexItem>({
      index: 'byStatus',
      partition: applicationStatusPartition(status),
    });
    for (const item of items) if (item.state?.id !== undefined) owed.set(item.state.id, item.executionName);
  }
  let nextToken: string | undefined;
  do {
    const page = await store.queryDue(today, nextToken);
    for (const item of page.items as ApplicationIndexItem[]) {
      const id = item.state?.id;
      if (id !== undefined && item.closedOutAt === undefined) owed.set(id, item.executionName);
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);

  const restarted: string[] = [];
  for (const id of owed.keys()) {
    // The item itself, not the index's copy: the execution's name is the one its steps compare
    // themselves with (task-tokens.ts), and a closed-out application owes nothing.
    const record = await loadApplication(store, id);
    if (record === undefined || record.closedOutAt !== undefined) continue;
    const result = await ports.workflow.start(id, { name: record.executionName ?? id });
    if (result.started) restarted.push(id);
  }
  return restarted;
}

type ApplicationIndexItem = StoredItem & {
  readonly state?: { id?: string };
  readonly executionName?: string;
  readonly closedOutAt?: string;
};

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  if (options.expose === undefined && !isLoopbackHost(host.replace(/^\[|\]$/g, ''))) {
    throw new Error(`host ${host} is not loopback: serving beyond this machine needs expose (--expose)`);
  }
  const operatorKey = options.expose === undefined ? undefined : randomBytes(24).toString('base64url');
  const say = (line: string): void => {
    if (!options.quiet) process.stderr.write(`[local] ${line}\n`);
  };
  await mkdir(dataDir, { recursive: true, mode: DATA_FOLDER_MODE });
  // Before anything in the folder is opened or written (a refused start changes nothing in it).
  const lock = await lockDataFolder(dataDir);
  const restoreUmask = await restrictDataFolder(dataDir);
  const env = new EnvScope();
  // Runs last on stop: the folder is released once everything in it is closed.
  const cleanups: (() => Promise<void> | void)[] = [() => lock.release()];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        say(`stop: ${(error as Error).message}`);
      }
    }
    cleanups.length = 0;
  };

  // Runs last on stop: the environment is restored once nothing can call a handler any more.
  const uninstall: (() => void)[] = [];
  cleanups.push(() => {
    for (const undo of uninstall.reverse()) undo();
    resetAwsClients();
    env.restore();
    restoreUmask();
  });

  try {
    uninstall.push(installCrashAt());
    // The port is taken before any data is written: a clash leaves a new folder without demo data.
    const front = new FrontDoor();
    const port = await front.listen(host, options.port ?? 3000);
    cleanups.push(() => front.close());

    const clock = await SimulatedClock.load({ file: join(dataDir, DATA_LAYOUT.clock) });
    const now = (): Date => clock.now();
    // The handlers' time is the simulated clock (the one port besides mail this runtime replaces).
    uninstall.push(installPorts({ clock }));
    cleanups.push(() => clock.close());

    // The embedded services answer only requests signed with this data folder's key pair.
    const credentials = await runtimeCredentials(join(dataDir, DATA_LAYOUT.credentials));
    // Before dynalite opens it: a folder written before index entries had full keys may have lost one.
    const repair = await repairIndexEntries({
      path: join(dataDir, DATA_LAYOUT.dynamodb),
      marker: join(dataDir, DATA_LAYOUT.dynamodbIndexKeys),
    });
    if (repair.rebuilt) say(`index entries rebuilt from ${repair.items} items (${repair.entries} entries)`);
    const dynamo = await startLocalDynamoDb({ path: join(dataDir, DATA_LAYOUT.dynamodb), credentials });
    cleanups.push(() => dynamo.close());
    const s3 = await startLocalS3({
      directory: join(dataDir, DATA_LAYOUT.s3),
      bucket: LOCAL_EVIDENCE_BUCKET,
      credentials,
    });
    cleanups.push(() => s3.close());
    const events = new LocalEventBridge({ file: join(dataDir, DATA_LAYOUT.events), now });
    const eventsUrl = await events.start({ credentials });
    cleanups.push(() => events.close());

    const faults = new FaultBook();
    for (const fault of options.faults ?? []) faults.arm(fault);
    // Every SDK client the handlers build from here on passes by the armed faults.
    uninstall.push(installSdkFaults(faults));

    const { region, accountId } = LOCAL_ASL_ENVIRONMENT;
    const lambda = new LambdaRegistry({
      region,
      accountId,
      faults: (name, payload) => {
        const task = taskForFunctionName(name);
        const step = name === sweepFunctionNameFor() ? sweepStepOf(payload) : undefined;
        const target =
          task === undefined ? (step === undefined ? undefined : `sweep:${step}`) : `task:${task}`;
        const fault = target === undefined ? undefined : faults.take(target);
        return fault && { errorName: fault.error, afterHandler: fault.when === 'after' };
      },
    });
    for (const task of TASK_NAMES) {
      lambda.register(functionNameFor(task), lazyTaskHandler(WORKFLOW_TASKS[task].module));
    }
    lambda.register(sweepFunctionNameFor(), lazyTaskHandler(SWEEP_MODULE), {
      functionKey: SWEEP_FUNCTION_KEY,
    });
    const engine = new LocalStepFunctions({
      lambda,
      region,
      accountId,
      now,
      ...(options.retryPauseMs === undefined ? {} : { retryPauseMs: options.retryPauseMs }),
    });
    const { stateMachineArn } = engine.createStateMachine({
      name: REPAIR_APPLICATION_STATE_MACHINE_ID,
      definition: renderedAsl('repairApplication'),
    });
    const sweepMachine = engine.createStateMachine({
      name: SWEEP_STATE_MACHINE_ID,
      definition: renderedAsl('sweep'),
    });
    const runSweep = sweepRunner(engine, sweepMachine.stateMachineArn);
    const sfn = new LocalStepFunctionsEndpoint(engine);
    const sfnUrl = await sfn.start({ credentials });
    cleanups.push(async () => {
      await sfn.close();
      await engine.dispose();
      // A task that was running finishes its writes before the stores below close.
      await lambda.drain();
    });

    // The handlers' view of the world; set before any handler module is loaded.
    env.set('AWS_REGION', region);
    // Many invocations at once in this one process, each with its own logger state (invocation-scope.ts).
    installInvocationScopes();
    env.set(MAX_CONCURRENCY_ENV, String(options.invocations?.concurrency ?? DEFAULT_LOCAL_CONCURRENCY));
    env.set('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    env.set('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    env.unset('AWS_SESSION_TOKEN');
    env.unset('AWS_PROFILE');
    env.set('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    env.set('AWS_ENDPOINT_URL_S3', s3.endpoint);
    env.set('AWS_ENDPOINT_URL_SFN', sfnUrl);
    env.set('AWS_ENDPOINT_URL_EVENTBRIDGE', eventsUrl);
    env.set(TABLE_NAME_ENV, LOCAL_TABLE_NAME);
    env.set(EVIDENCE_BUCKET_ENV, LOCAL_EVIDENCE_BUCKET);
    env.set(STATE_MACHINE_ARN_ENV, stateMachineArn);
    env.set(EVENT_BUS_NAME_ENV, LOCAL_EVENT_BUS_NAME);
    const { pageSize, pagesPerPlan } = options.sweepPages ?? {};
    if (pageSize === undefined) env.unset(SWEEP_PAGE_ENV.pageSize);
    else env.set(SWEEP_PAGE_ENV.pageSize, String(pageSize));
    if (pagesPerPlan === undefined) env.unset(SWEEP_PAGE_ENV.pagesPerPlan);
    else env.set(SWEEP_PAGE_ENV.pagesPerPlan, String(pagesPerPlan));
    const sender = process.env[MAIL_ENV.sender] || LOCAL_SENDER_EMAIL;
    env.set(MAIL_ENV.sender, sender);
    // Review-link ids are stored as HMACs here too, keyed by a secret of this data folder.
    env.set(LINK_SECRET_ENV, await dataFolderSecret(join(dataDir, DATA_LAYOUT.linkSecret)));
    const outboxDir = join(dataDir, DATA_LAYOUT.outbox);
    const smtpUrl = process.env[SMTP_URL_ENV];
    // Mail stays on this machine (the outbox) unless SMTP_URL names a server.
    uninstall.push(
      installPorts({
        mailer: new FaultyMailer(
          smtpUrl
            ? new SmtpMailer(smtpUrl, sender)
            : new OutboxMailer({ dir: outboxDir, from: sender, clock }),
          faults,
        ),
      }),
    );
    resetAwsClients();

    const { created: fresh } = await createTable(dynamoClient(), LOCAL_TABLE_NAME, { pollMs: 5 });
    const store = storePort();
    // A data folder of an earlier commit: its profiles get their tier-index entries, once.
    const reindexed = await backfillEnterpriseIndex(
      store,
      () => unindexedEnterpriseIds(documentClient(), LOCAL_TABLE_NAME),
      clock.now().toISOString(),
      localDateIn(clock.now()),
    );
    if (reindexed > 0) say(`indexed ${reindexed} enterprise(s) by tier and name`);

    const demoFile = join(dataDir, DATA_LAYOUT.demo);
    let demo = await readDemoManifest(demoFile);
    if (fresh && options.demo !== false) {
      demo = await loadDemoData(store, clock.now());
      await writeFile(
        demoFile,
        JSON.stringify({ loadedAt: clock.now().toISOString(), enterprises: demo }, null, 2),
      );
      say(`demo data loaded: ${demo.map((d) => `${d.id} (${d.tier})`).join(', ')}`);
    }

    const auth = await loadDevAuth(dataDir);

    const consoleSite = await consoleRoutes({
      dir: consoleOutDir('embedded'),
      connectOrigins: [new URL(s3.endpoint).origin],
      config: {
        runtime: 'embedded',
        demoEnterprises: demo.map(({ id, name, tier }) => ({ id, name, tier })),
      },
    });
    let restartsDone: () => void = () => undefined;
    const restartsRan = new Promise<void>((resolveRestarts) => (restartsDone = resolveRestarts));
    front.serve(
      gatewayListener({
        ready: restartsRan,
        routes: ROUTES,
        ...(options.invocations === undefined ? {} : { invocations: options.invocations }),
        auth: (token) => auth.verifyToken(token),
        ...(options.expose === undefined ? {} : { publicHosts: [options.expose.publicHost] }),
        ...(operatorKey === undefined ? {} : { operatorKey }),
        extraRoutes: [
          ...localControlRoutes({ auth, clock, outboxDir, runSweep, faults, engine }),
          ...consoleSite,
        ],
      }),
    );
    // On stop the gateway closes first, before the services its handlers use.
    cleanups.push(() => front.close());
    const urlHost = options.expose?.publicHost ?? host;
    const url = `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`;
    // The console uploads from the gateway's origin, and from no other.
    for (const origin of consoleOrigins(url, host, port)) s3.allowOrigin(origin);
    env.set('REVIEW_BASE_URL', url);

    // Before any request is served and before the first sweep: a sweep or a request that came
    // first could start a second execution beside the one restarted here.
    const restarted = await restartOpenApplications(
      { store, workflow: workflow() },
      localDateIn(clock.now()),
    );
    if (restarted.length > 0) say(`restarted the workflows of ${restarted.length} open application(s)`);
    restartsDone();
    const sweepTimer = startSweepTimer({
      intervalMs: options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
      now,
      run: runSweep,
      onResult: (on, counts) => say(`sweep for ${on}: ${JSON.stringify(counts)}`),
      onError: (error) => say(`sweep: ${(error as Error).message}`),
    });
    cleanups.push(() => sweepTimer.stop());

    const tokens: RuntimeTokens = {
      officer: await auth.mintToken({ role: 'officer' }),
      applicants: await Promise.all(
        demo.map(async (d) => ({
          ...d,
          token: await auth.mintToken({ role: 'applicant', enterprises: [d.id] }),
        })),
      ),
    };

    let stopping: Promise<void> | undefined;
    return {
      url,
      dataDir,
      tokens,
      demo,
      fresh,
      restarted,
      clock,
      engine,
      lambda,
      runSweep,
      ...(operatorKey === undefined ? {} : { operatorKey }),
      faults,
      stop: () => (stopping ??= runCleanups()),
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
