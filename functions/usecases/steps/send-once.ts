import { reached, type CrashPoint } from '../../observability/crash-points.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { keys } from '../../ports/store/keys.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';

/**
 * A message to the outside (an email, a listing event) sent by a workflow step, with three writes
 * in this order: the intent (the exact message, keyed by step and round), the send, the mark (the
 * step's memo). After a crash:
 * - before the intent: nothing was sent; the re-run prepares and sends it;
 * - between intent and mark: it may have been sent; the re-run sends the recorded message again,
 *   the same bytes, so a receiver can drop the copy (at least once);
 * - after the mark: it was sent; the re-run sends nothing.
 * The intent is what a resend sends, not a message prepared again: the state it was prepared from
 * may have moved on (a later tier, a changed reviewer), and a copy must be a copy.
 */

type IntentItem<M> = StoredItem & { message: M | null };

const intentStep = (step: string): string => `${step}.intent`;

/**
 * Runs `send` for the message `prepare` makes (null: nothing to send) at least once and, once
 * marked, never again; returns what was marked. Writes only new items (PutItem), no updates.
 */
export async function sendOnce<M, R>(
  store: Store,
  at: { readonly applicationId: string; readonly step: string; readonly round: number },
  options: {
    readonly prepare: () => Promise<M | null>;
    readonly send: (message: M) => Promise<void>;
    readonly result: (message: M | null) => R;
    readonly sentPoint: CrashPoint;
  },
): Promise<R> {
  const { applicationId, step, round } = at;
  const marked = await store.recordedStep<R>(applicationId, step, round);
  if (marked !== undefined) return marked;
  const intentKey = keys.step(applicationId, intentStep(step), round);
  let intent = await store.get<IntentItem<M>>(intentKey);
  if (intent === undefined) {
    const message = await options.prepare();
    try {
      intent = await store.putNew<IntentItem<M>>({ ...intentKey, message } as IntentItem<M>);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // A concurrent run recorded its intent first: send what it recorded.
      intent = await store.get<IntentItem<M>>(intentKey);
      if (intent === undefined) throw error;
    }
  }
  const { message } = intent;
  if (message !== null) {
    await options.send(message);
    reached(options.sentPoint);
  }
  return store.memoizedStep(applicationId, step, round, () => Promise.resolve(options.result(message)));
}
