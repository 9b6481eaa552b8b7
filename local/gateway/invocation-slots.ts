/**
 * Lambda's concurrency for the embedded gateway: at most `limit` handlers run at once, the rest
 * wait in arrival order for a free slot. On AWS every invocation gets its own execution
 * environment, so a handler's timeout is its own; in one process, unbounded concurrency makes
 * every handler share the CPU with every other, and under a few hundred requests at once each one
 * runs long enough to pass its timeout. Bounding the running ones keeps each handler as fast as it
 * is alone; the wait happens before the handler starts, so its timeout starts when it runs.
 *
 * Where Lambda throttles at once (429 TooManyRequestsException, which API Gateway answers as a 5xx),
 * this waits, since the one machine has far less capacity than an account's concurrency; a request
 * is refused only when the line is already `maxQueued` long, or when it waited until `deadline`
 * (the gateway's slot-wait cap, within its end-to-end limit) without a slot. Refused requests never
 * ran: a retry is safe.
 */

export const DEFAULT_LOCAL_CONCURRENCY = 16;
export const DEFAULT_LOCAL_MAX_QUEUED = 1_000;

/**
 * How long a request may wait for a slot by default: the integration limit less the function
 * timeout, so a request that gets a slot has its function's whole timeout before the gateway gives
 * up on it (15 s of 30 s with API_FUNCTION_TIMEOUT_SECONDS = 15). A request that would get a slot
 * later is refused with 503 and Retry-After at that point instead of running to be cut off at the
 * limit with a 504.
 */
export const defaultSlotWaitMs = (integrationTimeoutMs: number, functionTimeoutMs: number): number =>
  Math.max(0, integrationTimeoutMs - functionTimeoutMs);

/** Why a request got no slot: the line was full, or it waited until its deadline. */
export class NoSlotError extends Error {
  constructor(readonly reason: 'queue-full' | 'waited-too-long') {
    super(reason === 'queue-full' ? 'every slot is busy and the queue is full' : 'no slot freed in time');
    this.name = 'NoSlotError';
  }
}

interface Waiter {
  readonly grant: (release: () => void) => void;
  readonly refuse: (error: NoSlotError) => void;
  timer?: NodeJS.Timeout;
}

export interface SlotStats {
  readonly running: number;
  readonly queued: number;
  /** The most handlers that ran at once since the start. */
  readonly peakRunning: number;
}

export class InvocationSlots {
  readonly #limit: number;
  readonly #maxQueued: number;
  readonly #waiting: Waiter[] = [];
  #running = 0;
  #peakRunning = 0;

  constructor(options: { readonly limit?: number; readonly maxQueued?: number } = {}) {
    const limit = options.limit ?? DEFAULT_LOCAL_CONCURRENCY;
    const maxQueued = options.maxQueued ?? DEFAULT_LOCAL_MAX_QUEUED;
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`concurrency must be a positive integer: ${limit}`);
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new Error(`the queue limit must be a non-negative integer: ${maxQueued}`);
    }
    this.#limit = limit;
    this.#maxQueued = maxQueued;
  }

  get stats(): SlotStats {
    return { running: this.#running, queued: this.#waiting.length, peakRunning: this.#peakRunning };
  }

  /**
   * Resolves with the slot's release (call it once, when the handler has settled) as soon as one is
   * free; rejects with NoSlotError when the queue is full or `deadline` (epoch ms) passes first.
   */
  acquire(deadline: number): Promise<() => void> {
    if (this.#running < this.#limit && this.#waiting.length === 0) return Promise.resolve(this.#take());
    if (this.#waiting.length >= this.#maxQueued) return Promise.reject(new NoSlotError('queue-full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, refuse: reject };
      waiter.timer = setTimeout(
        () => {
          const at = this.#waiting.indexOf(waiter);
          if (at === -1) return;
          this.#waiting.splice(at, 1);
          reject(new NoSlotError('waited-too-long'));
        },
        Math.max(0, deadline - Date.now()),
      );
      this.#waiting.push(waiter);
    });
  }

  #take(): () => void {
    this.#running += 1;
    this.#peakRunning = Math.max(this.#peakRunning, this.#running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      const next = this.#waiting.shift();
      if (next === undefined) return;
      clearTimeout(next.timer);
      next.grant(this.#take());
    };
  }
}
