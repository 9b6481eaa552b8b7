/**
 * The embedded runtime's clock: a simulated instant that passes with the wall clock and can only
 * be moved forward (POST /_local/clock). It is persisted in `clock.json` so a restarted runtime
 * resumes where it was rather than at the wall clock, which may be months behind after a demo
 * moved time forward.
 *
 * Time does not pass while the runtime is stopped: on start the clock resumes at the persisted
 * instant. The file is rewritten every `persistEveryMs` of wall time, on every move and on stop;
 * after a SIGKILL the clock resumes at most that long before where it was.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

export class ClockBackwardsError extends Error {
  readonly current: string;

  constructor(requested: string, current: string) {
    super(`the clock only moves forward: ${requested} is before the current time ${current}`);
    this.name = 'ClockBackwardsError';
    this.current = current;
  }
}

interface ClockFile {
  readonly now: string;
}

export interface SimulatedClockOptions {
  readonly file: string;
  readonly persistEveryMs?: number;
  /** The wall clock (tests may pass their own). */
  readonly wall?: () => number;
}

export class SimulatedClock {
  readonly #file: string;
  readonly #wall: () => number;
  #baseMs: number;
  #anchorWallMs: number;
  #timer: NodeJS.Timeout | undefined;
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: string, baseMs: number, wall: () => number) {
    this.#file = file;
    this.#wall = wall;
    this.#baseMs = baseMs;
    this.#anchorWallMs = wall();
  }

  /** Loads the persisted clock, or starts at the wall clock when there is none; persists at once. */
  static async load(options: SimulatedClockOptions): Promise<SimulatedClock> {
    const wall = options.wall ?? Date.now;
    const persisted = await readClockFile(options.file);
    const clock = new SimulatedClock(options.file, persisted ?? wall(), wall);
    await clock.persist();
    const every = options.persistEveryMs ?? 2_000;
    clock.#timer = setInterval(() => void clock.persist().catch(() => undefined), every);
    clock.#timer.unref();
    return clock;
  }

  now(): Date {
    return new Date(this.#baseMs + (this.#wall() - this.#anchorWallMs));
  }

  /** Moves the clock to `instant`; an instant before now is refused with ClockBackwardsError. */
  async moveTo(instant: Date): Promise<Date> {
    const current = this.now();
    if (instant.getTime() < current.getTime()) {
      throw new ClockBackwardsError(instant.toISOString(), current.toISOString());
    }
    this.#baseMs = instant.getTime();
    this.#anchorWallMs = this.#wall();
    await this.persist();
    return this.now();
  }

  /** Writes the current instant (atomically, one write after another). */
  persist(): Promise<void> {
    const body: ClockFile = { now: this.now().toISOString() };
    const write = this.#writes.then(() => writeAtomically(this.#file, JSON.stringify(body) + '\n'));
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.persist();
  }
}

async function readClockFile(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ClockFile>;
  const ms = typeof parsed.now === 'string' ? Date.parse(parsed.now) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${file} does not hold a valid {"now": ISO instant}`);
  return ms;
}

async function writeAtomically(path: string, data: string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
