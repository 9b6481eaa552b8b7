import { dueAttributes, type ItemKey } from '../../ports/store/keys.ts';
import { type Store } from '../../ports/store/store.ts';

/**
 * Moves an item's due date after the sweep acted, only if the item is still at the version the
 * sweep read. The version does not move: a due date is a pointer for the sweep, not a decision.
 * When the condition fails another writer changed the item after the sweep read it, and every
 * writer recomputes the due pair in its own write, so the sweep leaves theirs in place.
 * Returns whether it wrote.
 */
export async function setDueIfVersion(
  store: Store,
  key: ItemKey,
  version: number,
  dueOn: string | null,
  /** Index attributes that follow from the same reading (an enterprise's tier entry). */
  index: Readonly<Record<string, string>> = {},
): Promise<boolean> {
  const written = await store.updateIf(
    key,
    { version: { equals: version } },
    { ...dueAttributes(key.pk, dueOn), ...index },
  );
  return written !== undefined;
}
