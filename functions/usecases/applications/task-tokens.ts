import type { Party } from '../../../domain/vocabulary.ts';
import { retryOnConflict } from '../../ports/store/errors.ts';
import { expiresAfter, RETENTION_DAYS } from '../../ports/store/expiry.ts';
import { keys, type ItemKey } from '../../ports/store/keys.ts';
import type { Condition, Store, StoredItem } from '../../ports/store/store.ts';
import { ApplicationBusyError } from './errors.ts';

/**
 * The task token of a waiting callback task, `STEP#TaskToken.<task>[.<party>]#<round>` in the
 * application's partition, mirrored on the application item (`waitToken.<task>[.<party>]`:
 * `{round, taskToken}`), so that a change that ends a wait finds the token in what its own
 * conditional write returns. Only the workflow code reads it: no read model, message or log line
 * carries a token.
 *
 * Why the mirror is enough for a writer that ends a wait: the task stores the token item, then the
 * mirror, then reads the state to see whether its wait is already over. A write of the application
 * is ordered against the mirror's write (one item): either it comes after and returns the newest
 * token, or it comes before, and the task's read after its mirror finds the state it wrote and
 * resumes its own wait. A mirror of another round, or none (a token stored before mirrors
 * existed), or one whose task is gone (two invocations of one task storing at once may leave the
 * older one's mirror), sends the writer to the token item, read after its write as before.
 */

export type TokenSlot =
  { readonly task: 'AwaitEvidence' } | { readonly task: 'OpenReview'; readonly party: Party };

const slotName = (slot: TokenSlot): string =>
  slot.task === 'OpenReview' ? `TaskToken.OpenReview.${slot.party}` : 'TaskToken.AwaitEvidence';

const tokenKey = (applicationId: string, slot: TokenSlot, round: number): ItemKey =>
  keys.step(applicationId, slotName(slot), round);

/** The application item's attribute that mirrors a slot's newest token. */
const MIRROR_PREFIX = 'waitToken.';
const mirrorAttribute = (slot: TokenSlot): string =>
  `${MIRROR_PREFIX}${slot.task === 'OpenReview' ? `OpenReview.${slot.party}` : 'AwaitEvidence'}`;

interface MirroredToken {
  readonly round: number;
  readonly taskToken: string;
}

/** The tokens mirrored on an application item as one write returned it, by attribute. */
export type WaitTokens = Readonly<Record<string, MirroredToken>>;

export function waitTokensOf(item: StoredItem): WaitTokens {
  const tokens: Record<string, MirroredToken> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(MIRROR_PREFIX) || typeof value !== 'object' || value === null) continue;
    const { round, taskToken } = value as Partial<MirroredToken>;
    if (typeof round === 'number' && typeof taskToken === 'string') tokens[name] = { round, taskToken };
  }
  return tokens;
}

/** The mirror attributes of an application's slots, to clear once nothing waits any more. */
export const mirrorAttributes = (parties: readonly Party[]): string[] => [
  mirrorAttribute({ task: 'AwaitEvidence' }),
  ...parties.map((party) => mirrorAttribute({ task: 'OpenReview', party })),
];

/**
 * The token item. `executionName` and `applicationVersion` (the application's version its writer
 * read, its execution recorded) order the executions that write it: the application's version
 * moves at every restart (setExecutionName), so every read by an execution recorded later shows a
 * higher version than any read by one recorded before. Items stored before these were kept carry
 * neither, and any execution may replace them (as it could before). An item whose token was taken
 * back (a stale execution's, see below) has no `taskToken`.
 */
type TokenItem = StoredItem & {
  taskToken?: string;
  storedAt: string;
  version: number;
  executionName?: string;
  applicationVersion?: number;
};

const MAX_ATTEMPTS = 5;

/** The writer of a token, as its read of the application showed it. */
interface Writer {
  readonly executionName: string;
  readonly applicationVersion: number;
}

/**
 * Whether `writer` may replace what `existing` holds: a token of its own execution (a newer
 * invocation of the task), of none named (stored before names were kept), or of an execution
 * recorded before the writer's. An execution recorded after the writer's read means the writer is
 * stale: it must not replace that execution's token.
 */
function mayReplace(existing: TokenItem, writer: Writer | undefined): boolean {
  if (writer === undefined || existing.executionName === undefined) return true;
  if (existing.executionName === writer.executionName) return true;
  return (existing.applicationVersion ?? 0) < writer.applicationVersion;
}

/**
 * Keeps the task token of the newest invocation of a callback task of the application's current
 * execution (its recorded name, else its id): a restarted execution's token replaces the one its
 * predecessor held. A token of any other execution of the application is not kept ('stale'): a
 * second execution beside the current one (a restart that raced another) must not take the slot,
 * or the decision that resumes it would leave the current one waiting for ever.
 *
 * A restart may record another execution between this task's read of the application and its
 * writes (docs/data-model.md, "Task tokens mirrored on the application item", lists the orders):
 * the item's write is refused when it holds a token of an execution recorded after that read, and
 * when the mirror's write finds this execution no longer recorded, the token written to the item
 * is taken back unless another has replaced it, so the item never keeps a stale execution's token.
 */
export async function storeTaskToken(
  store: Store,
  applicationId: string,
  slot: TokenSlot,
  round: number,
  taskToken: string,
  storedAt: string,
  executionName?: string,
): Promise<'stored' | 'stale'> {
  // The mirror is written only while the execution is still the recorded one (as read here).
  let current: Condition = {};
  let writer: Writer | undefined;
  if (executionName !== undefined) {
    const application = await store.get<StoredItem & { executionName?: string; version?: number }>(
      keys.application(applicationId),
    );
    if (executionName !== (application?.executionName ?? applicationId)) return 'stale';
    current =
      application?.executionName === undefined
        ? { executionName: { absent: true } }
        : { executionName: { equals: application.executionName } };
    writer = { executionName, applicationVersion: application?.version ?? 0 };
  }
  const key = tokenKey(applicationId, slot, round);
  const written = await retryOnConflict(
    MAX_ATTEMPTS,
    async (): Promise<boolean> => {
      const existing = await store.get<TokenItem>(key);
      const expiry = expiresAfter(storedAt, RETENTION_DAYS.taskToken);
      const item = { taskToken, storedAt, ...writer, ...expiry };
      if (!existing) await store.putNew({ ...key, ...item });
      else if (!mayReplace(existing, writer)) return false;
      else if (existing.taskToken !== taskToken || existing.executionName !== writer?.executionName) {
        // A writer that names no execution leaves none named: any execution may replace its token.
        const unnamed = { executionName: undefined, applicationVersion: undefined };
        await store.updateVersioned(key, existing.version, { ...unnamed, ...item });
      }
      return true;
    },
    () => new ApplicationBusyError(applicationId),
  );
  if (!written) return 'stale';
  // Last: a writer that finds this mirror resumes this token; until then it reads the item above.
  const mirrored = await store.updateIf(keys.application(applicationId), current, {
    [mirrorAttribute(slot)]: { round, taskToken } satisfies MirroredToken,
  });
  if (mirrored !== undefined || executionName === undefined) return 'stored';
  // Another execution was recorded meanwhile: this one is stale after all. Its token leaves the
  // item unless the new execution's has replaced it already (which then stays).
  await store.updateIf(
    key,
    { taskToken: { equals: taskToken } },
    { taskToken: undefined },
    { bumpVersion: true },
  );
  return 'stale';
}

/** The slot's token for `round` as mirrored in `known` (what a write of the application returned). */
export function mirroredTaskToken(
  known: WaitTokens | undefined,
  slot: TokenSlot,
  round: number,
): string | undefined {
  const mirrored = known?.[mirrorAttribute(slot)];
  return mirrored !== undefined && mirrored.round === round ? mirrored.taskToken : undefined;
}

export async function readTaskToken(
  store: Store,
  applicationId: string,
  slot: TokenSlot,
  round: number,
): Promise<string | undefined> {
  const item = await store.get<TokenItem>(tokenKey(applicationId, slot, round));
  return item?.taskToken;
}
