import type { LocalDate } from '../../../domain/dates.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { keys } from '../../ports/store/keys.ts';
import type { Store } from '../../ports/store/store.ts';
import { enterpriseIndex, loadEnterprise } from './records.ts';

/**
 * The data migration that gives profiles written before the tier index their entry
 * (keys.enterpriseIndexAttributes): each profile gets the attributes under a version check, with
 * neither its version nor its due date moved (an index entry is not a decision, and the sweep still
 * owes what was due). A marker item records that it ran, so a table is read whole once.
 */
export const TIER_INDEX_MIGRATION = 'ENTERPRISE_TIER_INDEX';

const MAX_ATTEMPTS = 5;

/** Writes the entry of one profile; false when it vanished or kept changing (its next write indexes it). */
export async function reindexEnterprise(
  store: Store,
  enterpriseId: string,
  today: LocalDate,
): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const loaded = await loadEnterprise(store, enterpriseId);
    if (loaded === null) return false;
    const written = await store.updateIf(
      keys.enterprise(enterpriseId),
      { version: { equals: loaded.profile.version } },
      enterpriseIndex(loaded.profile, loaded.input, today),
    );
    if (written !== undefined) return true;
  }
  return false;
}

/**
 * Runs the migration unless its marker says it ran: `unindexed` lists the profiles without an
 * entry (a Scan, adapters/dynamodb/unindexed-profiles.ts). Returns how many profiles it indexed.
 */
export async function backfillEnterpriseIndex(
  store: Store,
  unindexed: () => Promise<readonly string[]>,
  now: string,
  today: LocalDate,
): Promise<number> {
  const marker = keys.migration(TIER_INDEX_MIGRATION);
  if ((await store.get(marker)) !== undefined) return 0;
  let indexed = 0;
  for (const id of await unindexed()) if (await reindexEnterprise(store, id, today)) indexed += 1;
  try {
    await store.putNew({ ...marker, itemType: 'MIGRATION', doneAt: now, indexed });
  } catch (error) {
    // Another process ran it at the same time: both wrote the same entries.
    if (!(error instanceof ConflictError && error.kind === 'ALREADY_EXISTS')) throw error;
  }
  return indexed;
}
