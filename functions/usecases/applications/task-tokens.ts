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
  if (executionName !== undefined) {
    const application = await store.get<StoredItem & { executionName?: string }>(
      keys.application(applicationId),
    );
    if (executionName !== (application?.executionName ?? applicationId)) return 'stale';
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
  return 'stored';
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
