/**
 * The one definition of the table's keys and indexes. The CDK stateful stack and the embedded
 * runtime both build the table from this; repositories build keys with it. Index names are at
 * least 3 characters (DynamoDB's rule, which dynalite enforces too).
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexSchema {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Why the index exists; docs/data-model.md lists the access patterns in full. */
  readonly purpose: string;
}

export const TABLE_SCHEMA = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** The version attribute every conditional update checks. */
  versionAttribute: 'version',
  /**
   * DynamoDB's time-to-live attribute (epoch seconds): items that carry it are deleted some time
   * after it passes. Powertools' idempotency records write it under this, its default name; the
   * other expiring items set it through expiryAttribute (expiry.ts). Deletion is lazy on AWS and
   * absent in dynalite, so no code path may depend on an item being gone.
   */
  ttlAttribute: 'expiration',
  globalSecondaryIndexes: [
    {
      indexName: 'byParent',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      purpose: "an enterprise's applications, newest first",
    },
    {
      indexName: 'byStatus',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      purpose:
        'applications by status (and all applications), newest first; enterprise profiles by tier, by name',
    },
    {
      indexName: 'dueIndex',
      partitionKey: { name: 'duePk', type: 'S' },
      sortKey: { name: 'dueOn', type: 'S' },
      purpose:
        'sparse: an item carries duePk/dueOn only while the sweep has something to do for it on or after dueOn',
    },
  ],
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  versionAttribute: string;
  ttlAttribute: string;
  globalSecondaryIndexes: readonly IndexSchema[];
};

export type IndexName = (typeof TABLE_SCHEMA.globalSecondaryIndexes)[number]['indexName'];
