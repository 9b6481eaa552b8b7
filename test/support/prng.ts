/**
 * A small seeded pseudo-random generator (mulberry32) for harnesses that must print their seed and
 * replay the same choices from it: kill moments, client jitter, which reviewer goes first.
 */
export class Prng {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A child generator, so one consumer's draws do not shift another's. */
  fork(): Prng {
    return new Prng(this.int(0, 0xffffffff));
  }
}

/** A seed from the environment variable `name` when set (to replay a run), else a fresh one. */
export function seedFrom(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text !== undefined && text !== '') {
    const seed = Number(text);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`${name} must be an integer from 0 to ${0xffffffff}, got "${text}"`);
    }
    return seed;
  }
  return Math.floor(Math.random() * 0xffffffff);
}
