import { randomUUID } from 'node:crypto';
import { applicationPartition, keys, SK_PREFIX, type ItemKey } from '../../ports/store/keys.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { expiresAfter, RETENTION_DAYS } from '../../ports/store/expiry.ts';
import { type Store, type StoredItem } from '../../ports/store/store.ts';
import type { SweepContext } from './context.ts';
import type { DutyCounter } from './counts.ts';

/**
 * Duty claims: the record that makes each sweep duty happen once per item (keys.sweepDuty, in the
 * item's own partition). A run claims a duty with a conditional put (status CLAIMED), acts, then
 * marks it DONE.
 *
 * - A DONE claim is never acted on again: however often the sweep runs, retries or overlaps, the
 *   email is sent and the change made once.
 * - A CLAIMED claim whose lease is still running belongs to a run that is acting right now (an
 *   overlapping run): the other run leaves it alone.
 * - A CLAIMED claim whose lease ran out belongs to a run that crashed between claiming and marking
 *   DONE. The next run takes it over (a conditional update, so one run does) and acts again. The
 *   trade-off: a crash after the email left but before DONE was written sends that email twice.
 *   The alternative, never redoing a claimed duty, would lose the notice entirely on a crash, and a
 *   lost legal notice is worse than a repeated one. Changes of state (restoration, profile marks,
 *   expiries) are idempotent themselves, so only messages can repeat.
 */

/** Longer than the sweep function's timeout (15 minutes at most on Lambda): a live run never loses its claim. */
export const CLAIM_LEASE_MS = 15 * 60 * 1000;

export const SWEEP_DUTY_ITEM = 'SWEEP_DUTY';

export interface DutyClaim {
  readonly key: ItemKey;
  readonly dutyKey: string;
  /** The instant of the first claim; kept on takeover, so timeline events written from it are stable. */
  readonly claimedAt: string;
  readonly version: number;
  /** True when this run took over a claim a crashed run left CLAIMED. */
  readonly redo: boolean;
}

export type ClaimOutcome =
  | { readonly kind: 'CLAIMED'; readonly claim: DutyClaim }
  | { readonly kind: 'DONE' }
  | { readonly kind: 'IN_PROGRESS' };

interface DutyRecord extends StoredItem {
  itemType: typeof SWEEP_DUTY_ITEM;
  dutyKey: string;
  dutyKind: string;
  on: string;
  status: 'CLAIMED' | 'DONE';
  payload: unknown;
  claimedAt: string;
  claimId: string;
  leaseUntil: string;
  doneAt?: string;
  version: number;
}

export interface DutyToClaim {
  readonly key: string;
  readonly kind: string;
  /** The date the duty fell due: part of the record's key, so a duty is one record whatever day it is done on. */
  readonly on: string;
  readonly payload: unknown;
}

const leaseEnd = (now: string): string => new Date(Date.parse(now) + CLAIM_LEASE_MS).toISOString();

/**
 * Application claims expire: their duties exist only while the round is open. An enterprise's
 * never do: the domain lists an enterprise duty (an eligibility notice, say) for as long as its
 * date has passed, and this record is all that tells it was done.
 */
const claimExpiry = (item: ItemKey, on: string): Record<string, number> =>
  item.pk.startsWith(applicationPartition('')) ? expiresAfter(on, RETENTION_DAYS.applicationDutyClaim) : {};

export async function claimDuty(
  store: Store,
  item: ItemKey,
  duty: DutyToClaim,
  now: string,
): Promise<ClaimOutcome> {
  const key = keys.sweepDuty(item, duty.key, duty.on);
  const claimId = randomUUID();
  try {
    const written = await store.putNew<DutyRecord>({
      ...key,
      itemType: SWEEP_DUTY_ITEM,
      dutyKey: duty.key,
      dutyKind: duty.kind,
      on: duty.on,
      status: 'CLAIMED',
      payload: duty.payload,
      claimedAt: now,
      claimId,
      leaseUntil: leaseEnd(now),
      version: 1,
      ...claimExpiry(item, duty.on),
    });
    return {
      kind: 'CLAIMED',
      claim: { key, dutyKey: duty.key, claimedAt: now, version: written.version, redo: false },
    };
  } catch (error) {
    if (!(error instanceof ConflictError && error.kind === 'ALREADY_EXISTS')) throw error;
  }
  const existing = await store.get<DutyRecord>(key);
  if (existing === undefined) throw new Error(`duty claim ${key.sk} vanished`);
  if (existing.status === 'DONE') return { kind: 'DONE' };
  if (existing.leaseUntil > now) return { kind: 'IN_PROGRESS' };
  try {
    const taken = await store.updateVersioned<DutyRecord>(key, existing.version, {
      claimId,
      leaseUntil: leaseEnd(now),
    });
    return {
      kind: 'CLAIMED',
      claim: { key, dutyKey: duty.key, claimedAt: existing.claimedAt, version: taken.version, redo: true },
    };
  } catch (error) {
    // Another run took the stale claim over first: it acts, this one stays out.
    if (error instanceof ConflictError && error.kind === 'VERSION_MISMATCH') return { kind: 'IN_PROGRESS' };
    throw error;
  }
}

/**
 * Marks a claimed duty DONE. Losing the version race means another run took the claim over after
 * our lease ran out; it will mark it DONE itself, so the duty is not lost either way.
 */
async function markDutyDone(store: Store, claim: DutyClaim, now: string): Promise<void> {
  try {
    await store.updateVersioned(claim.key, claim.version, { status: 'DONE', doneAt: now });
  } catch (error) {
    if (!(error instanceof ConflictError && error.kind === 'VERSION_MISMATCH')) throw error;
  }
}

/** The keys of the duties recorded DONE for the item whose partition is `pk` (one consistent Query). */
export async function doneDutyKeys(store: Store, pk: string): Promise<Set<string>> {
  const records = await store.queryAll<DutyRecord>({
    partition: pk,
    sortKey: { beginsWith: SK_PREFIX.duty },
    consistent: true,
  });
  return new Set(records.filter((r) => r.status === 'DONE').map((r) => r.dutyKey));
}

export type DutyRun<R> =
  { readonly ran: true; readonly result: R } | { readonly ran: false; readonly inProgress: boolean };

/**
 * Claims one duty of the item at `item` and, when this run holds the claim, acts on it, marks it
 * DONE and counts it. `done` learns every duty found or made DONE, so the item's next due date
 * leaves them out. A duty another live run holds is reported in progress: that run finishes it.
 */
export async function runDuty<R>(
  ctx: SweepContext,
  item: ItemKey,
  duty: DutyToClaim,
  done: Set<string>,
  counter: DutyCounter,
  act: (claim: DutyClaim) => Promise<R>,
): Promise<DutyRun<R>> {
  const outcome = await claimDuty(ctx.store, item, duty, ctx.now);
  if (outcome.kind === 'DONE') done.add(duty.key);
  if (outcome.kind !== 'CLAIMED') return { ran: false, inProgress: outcome.kind === 'IN_PROGRESS' };
  const result = await act(outcome.claim);
  await markDutyDone(ctx.store, outcome.claim, ctx.now);
  done.add(duty.key);
  ctx.counts[counter] += 1;
  return { ran: true, result };
}
