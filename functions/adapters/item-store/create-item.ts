import { ConflictError } from '../../ports/store/errors.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';
import type { StoredItem } from '../../ports/store/store.ts';

/** Writes the item only when its key is free (false when it was not): the store's write primitive. */
export type WriteIfAbsent = (item: StoredItem) => Promise<boolean>;

/**
 * The port's `putNew` over the write primitive: the item at version 1, or ConflictError
 * (ALREADY_EXISTS) when its key is taken. ItemWriter's `putNew` is this; a handler that only
 * creates items (an ItemCreator) is given it alone.
 */
export async function createItem<T extends StoredItem>(
  writeIfAbsent: WriteIfAbsent,
  item: T,
): Promise<T & { version: number }> {
  const written = { ...item, [TABLE_SCHEMA.versionAttribute]: 1 } as T & { version: number };
  if (!(await writeIfAbsent(written))) throw new ConflictError('ALREADY_EXISTS', item);
  return written;
}
