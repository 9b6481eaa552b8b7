import { keys } from '../../ports/store/keys.ts';
import type { Store } from '../../ports/store/store.ts';
import { ApplicationOpenError, EnterpriseNotFoundError } from './errors.ts';
import type { EnterpriseProfile } from './records.ts';

/**
 * "One open application per enterprise" (RULES.md §3): the profile's `openApplicationId`, claimed
 * and released with conditional writes that also move the profile's version, so a versioned writer
 * of the profile that read it before sees the change.
 */

/**
 * Marks `applicationId` as the enterprise's open application, only if none is: the conditional
 * write that makes "one open application per enterprise" hold under concurrency. Claiming again
 * with the same id succeeds (a retried step). Throws ApplicationOpenError(existingId) when another
 * application holds it, EnterpriseNotFoundError when the enterprise is not registered.
 */
export async function claimOpenApplication(
  store: Store,
  enterpriseId: string,
  applicationId: string,
  now: string,
): Promise<void> {
  const claimed = await store.updateIf(
    keys.enterprise(enterpriseId),
    { openApplicationId: { absent: true } },
    { openApplicationId: applicationId, openClaimedAt: now },
    { bumpVersion: true },
  );
  if (claimed !== undefined) return;
  const profile = await store.get<EnterpriseProfile>(keys.enterprise(enterpriseId));
  if (profile === undefined) throw new EnterpriseNotFoundError(enterpriseId);
  if (profile.openApplicationId === applicationId) return;
  if (profile.openApplicationId === undefined) {
    // Released between our write and our read: the claim is free again, try once more.
    return claimOpenApplication(store, enterpriseId, applicationId, now);
  }
  throw new ApplicationOpenError(enterpriseId, profile.openApplicationId);
}

/**
 * How long a claim may name an application that does not exist before another request of the
 * enterprise releases it: longer than any POST /applications runs (its function times out after
 * API_FUNCTION_TIMEOUT_SECONDS, 15 s), so only a claim whose request died between its two writes is
 * released.
 */
export const ORPHAN_CLAIM_AFTER_MS = 60_000;

/** Whether a claim of `claimedAt` (absent on claims from before it was kept) may be an orphan by `now`. */
export const claimMayBeOrphan = (claimedAt: string | undefined, now: Date): boolean =>
  claimedAt === undefined || now.getTime() - Date.parse(claimedAt) > ORPHAN_CLAIM_AFTER_MS;

/** Clears the open application if it is `applicationId`; a no-op otherwise (idempotent). */
export async function releaseOpenApplication(
  store: Store,
  enterpriseId: string,
  applicationId: string,
): Promise<{ released: boolean }> {
  const released = await store.updateIf(
    keys.enterprise(enterpriseId),
    { openApplicationId: { equals: applicationId } },
    { openApplicationId: undefined, openClaimedAt: undefined },
    { bumpVersion: true },
  );
  return { released: released !== undefined };
}
