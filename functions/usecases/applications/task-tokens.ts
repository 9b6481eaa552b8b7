import type { Party } from '../../../domain/vocabulary.ts';
import { retryOnConflict } from '../../ports/store/errors.ts';
import { expiresAfter, RETENTION_DAYS } from '../../ports/store/expiry.ts';
import { keys, type ItemKey } from '../../ports/store/keys.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';
import { ApplicationBusyError } from './errors.ts';

/**
 * The task token of a waiting callback task, `STEP#TaskToken.<task>[.<party>]#<round>` in the
 * application's partition. Only the workflow code reads it: no read model, message or log line
 * carries a token.
 */

export type TokenSlot =
  { readonly task: 'AwaitEvidence' } | { readonly task: 'OpenReview'; readonly party: Party };

const tokenKey = (applicationId: string, slot: TokenSlot, round: number): ItemKey =>
  keys.step(
    applicationId,
    slot.task === 'OpenReview' ? `TaskToken.OpenReview.${slot.party}` : 'TaskToken.AwaitEvidence',
    round,
  );

type TokenItem = StoredItem & { taskToken: string; storedAt: string; version: number };

const MAX_ATTEMPTS = 5;

/**
 * Keeps the task token of the newest invocation of a callback task: a restarted execution's
 * token replaces the one its predecessor held.
 */
export async function storeTaskToken(
  store: Store,
  applicationId: string,
  slot: TokenSlot,
  round: number,
  taskToken: string,
  storedAt: string,
): Promise<void> {
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
