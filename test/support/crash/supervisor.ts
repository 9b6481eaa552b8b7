import { groupGone, killGroup, ProcessLog, startNpm, type ReadyNpmStart } from '../npm-start.ts';

/**
 * The operator's side of a crash run: `npm start --no-demo` on one data folder and one port, killed
 * with SIGKILL (the whole process group, as the kernel's OOM killer or a power cut would) and
 * started again on the same folder. Every life's output goes to one ProcessLog.
 */

export interface Life {
  readonly index: number;
  readonly readyAtMs: number;
  /** Wall time of its SIGKILL; absent for the life still running or stopped cleanly. */
  killedAtMs?: number;
}

export class Supervisor {
  readonly log = new ProcessLog();
  readonly lives: Life[] = [];
  #current: ReadyNpmStart | undefined;

  constructor(
    private readonly options: {
      readonly dataDir: string;
      readonly port: number;
      readonly say: (line: string) => void;
      readonly env?: Readonly<Record<string, string>>;
    },
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get life(): Life | undefined {
    return this.lives.at(-1);
  }

  get up(): boolean {
    return this.#current !== undefined;
  }

  /** The pid of the running `npm start` (its process group), for tests that look at the holder. */
  get pid(): number | undefined {
    return this.#current?.child.pid;
  }

  async start(): Promise<Life> {
    if (this.#current) throw new Error('already running');
    const index = this.lives.length;
    const started = await startNpm({
      dataDir: this.options.dataDir,
      port: this.options.port,
      args: ['--no-demo'],
      log: this.log,
      life: index,
      ...(this.options.env === undefined ? {} : { env: this.options.env }),
    });
    if (started.url !== this.baseUrl) throw new Error(`ready at ${started.url}, expected ${this.baseUrl}`);
    this.#current = started;
    const life: Life = { index, readyAtMs: started.readyAtMs };
    this.lives.push(life);
    this.options.say(`life ${index}: ready`);
    return life;
  }

  /** SIGKILL of the whole group; resolves once no process of it is left. */
  async kill(): Promise<void> {
    const current = this.#current;
    const life = this.life;
    if (!current || !life) throw new Error('nothing to kill');
    this.#current = undefined;
    life.killedAtMs = Date.now();
    await killGroup(current, 'SIGKILL');
    await groupGone(current);
  }

  /** A clean stop (SIGTERM), as an operator's Ctrl-C; also used to end a run. */
  async stop(): Promise<void> {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    await killGroup(current, 'SIGTERM');
    await groupGone(current);
  }
}
