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

type TokenItem = StoredItem & { taskToken: string; storedAt: string; version: number };

const MAX_ATTEMPTS = 5;

/**
 * Keeps the task token of the newest invocation of a callback task of the application's current
 * execution (its recorded name, else its id): a restarted execution's token replaces the one its
 * predecessor held. A token of any other execution of the application is not kept ('stale'): a
 * second execution beside the current one (a restart that raced another) must not take the slot,
 * or the decision that resumes it would leave the current one waiting for ever.
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
  if (executionName !== undefined) {
    const application = await store.get<StoredItem & { executionName?: string }>(
      keys.application(applicationId),
    );
    if (executionName !== (application?.executionName ?? applicationId)) return 'stale';
    current =
      application?.executionName === undefined
        ? { executionName: { absent: true } }
        : { executionName: { equals: application.executionName } };
  }
  const key = tokenKey(applicationId, slot, round);
  await retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const existing = await store.get<TokenItem>(key);
      const expiry = expiresAfter(storedAt, RETENTION_DAYS.taskToken);
      if (!existing) await store.putNew({ ...key, taskToken, storedAt, ...expiry });
      else if (existing.taskToken !== taskToken) {
        await store.updateVersioned(key, existing.version, { taskToken, storedAt, ...expiry });
      }
    },
    () => new ApplicationBusyError(applicationId),
  );
  // Last: a writer that finds this mirror resumes this token; until then it reads the item above.
  const mirrored = await store.updateIf(keys.application(applicationId), current, {
    [mirrorAttribute(slot)]: { round, taskToken } satisfies MirroredToken,
  });
  // Another execution was recorded meanwhile: this one is stale after all.
  if (mirrored === undefined && executionName !== undefined) return 'stale';
  return 'stored';
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
