import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../ports/store/errors.ts';
import { dueAttributes, type ItemKey, type Store } from '../../ports/store/store.ts';
import { TABLE_SCHEMA } from '../../ports/store/schema.ts';

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
): Promise<boolean> {
  const due = dueAttributes(key.pk, dueOn);
  const change =
    due.duePk === undefined
      ? { UpdateExpression: 'REMOVE #duePk, #dueOn', values: {} }
      : {
          UpdateExpression: 'SET #duePk = :duePk, #dueOn = :dueOn',
          values: { ':duePk': due.duePk, ':dueOn': due.dueOn },
        };
  try {
    await store.table.doc.send(
      new UpdateCommand({
        TableName: store.table.tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: change.UpdateExpression,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: {
          '#duePk': 'duePk',
          '#dueOn': 'dueOn',
          '#version': TABLE_SCHEMA.versionAttribute,
        },
        ExpressionAttributeValues: { ...change.values, ':version': version },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
