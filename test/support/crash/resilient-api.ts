import { setTimeout as sleep } from 'node:timers/promises';
import { send, type Reply, type SendOptions } from '../http-client.ts';
import type { Prng } from '../prng.ts';
import type { RunRecorder } from './recorder.ts';
import type { Supervisor } from './supervisor.ts';

/**
 * HTTP as a real client does it while the service crashes under it: a connection refused, reset or
 * cut mid-answer, and a 5xx, are retried after a short jittered pause, as is a 409
 * IDEMPOTENCY_KEY_IN_PROGRESS (after its Retry-After). Everything else is the caller's to judge.
 *
 * A 5xx is recorded as a violation (issue 13: never a 5xx for anything a client can send), and so is
 * an IDEMPOTENCY_KEY_IN_PROGRESS without Retry-After, or one that is still answered long after the
 * life that ran the first request died (CONTRACT.md: such a record expires within seconds).
 */

/** A request that dies with the process must free its key within this long after the next start. */
export const DEAD_REQUEST_RECORD_LIMIT_MS = 10_000;

const REQUEST_TIMEOUT_MS = 30_000;

export interface CallOptions extends SendOptions {
  /** Whose request it is, for violations. */
  readonly enterpriseId?: string;
  readonly applicationId?: string;
}

export class ResilientApi {
  constructor(
    private readonly supervisor: Supervisor,
    private readonly rec: RunRecorder,
    private readonly rng: Prng,
  ) {}

  /** A short pause with jitter, cut short by the end of the run. */
  async pause(minMs: number, maxMs: number): Promise<void> {
    this.rec.throwIfStopped();
    await sleep(this.rng.int(minMs, maxMs));
    this.rec.throwIfStopped();
  }

  /** One attempt: the reply, or undefined when the connection failed (the service is down or died). */
  async once(
    label: string,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply | undefined> {
    this.rec.count(`requests`);
    this.rec.enter(label);
    try {
      return await send(this.supervisor.baseUrl, method, path, { timeoutMs: REQUEST_TIMEOUT_MS, ...options });
    } catch {
      this.rec.count('connection errors');
      return undefined;
    } finally {
      this.rec.leave(label);
    }
  }

  /** Retries until an answer that is not a connection failure, a 5xx or IDEMPOTENCY_KEY_IN_PROGRESS. */
  async call(label: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const who = {
      ...(options.enterpriseId === undefined ? {} : { enterpriseId: options.enterpriseId }),
      ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
    };
    // The life in which an attempt of this call was cut off: its request died with that process.
    let diedInLife: number | undefined;
    let reported = false;
    for (;;) {
      this.rec.throwIfStopped();
      const life = this.supervisor.life?.index ?? -1;
      const reply = await this.once(label, method, path, options);
      if (reply === undefined) {
        diedInLife = life;
        await this.pause(100, 300);
        continue;
      }
      if (reply.status >= 500) {
        this.rec.count('5xx answers');
        this.rec.violate({
          check: 'no-5xx',
          key: `5xx ${label} ${options.enterpriseId ?? ''} ${reply.status} ${String(reply.body.code ?? '')}`,
          ...who,
          detail: `${label}: ${method} ${redactPath(path)} answered ${reply.status} ${String(reply.body.code ?? '')}, first in life ${life}`,
          data: { status: reply.status, body: reply.body },
        });
        await this.pause(100, 300);
        continue;
      }
      if (reply.status === 409 && reply.body.code === 'IDEMPOTENCY_KEY_IN_PROGRESS') {
        this.rec.count('409 IDEMPOTENCY_KEY_IN_PROGRESS');
        const retryAfter = Number(reply.headers['retry-after']);
        if (!(retryAfter >= 0) && !reported) {
          reported = true;
          this.rec.violate({
            check: 'in-progress',
            ...who,
            detail: `${label}: 409 IDEMPOTENCY_KEY_IN_PROGRESS without Retry-After`,
          });
        }
        // These clients send one request of a key at a time: a key in progress after its request was
        // cut off by a kill is held by a request that died, whose record must expire within seconds.
        const restart = diedInLife === undefined ? undefined : this.supervisor.lives[diedInLife + 1];
        const sinceRestartMs = restart === undefined ? 0 : Date.now() - restart.readyAtMs;
        if (!reported && sinceRestartMs > DEAD_REQUEST_RECORD_LIMIT_MS) {
          reported = true;
          this.rec.violate({
            check: 'in-progress',
            ...who,
            detail:
              `${label}: still IDEMPOTENCY_KEY_IN_PROGRESS ${Math.round(sinceRestartMs / 1000)} s after the restart ` +
              `that followed the death of its request (life ${diedInLife})`,
          });
        }
        const waitMs = Math.max(1, Number.isFinite(retryAfter) ? retryAfter : 1) * 1000;
        await this.pause(waitMs, waitMs + 200);
        continue;
      }
      return reply;
    }
  }
}

/** Review paths carry link ids: a violation's text must not become a log of secrets itself. */
export const redactPath = (path: string): string => path.replace(/\/review\/[^/?]+/, '/review/{linkId}');
