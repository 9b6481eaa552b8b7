import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { join } from 'node:path';
import { IDEMPOTENCY_PARTITION } from '../../../functions/composition/idempotency.ts';
import { keys, SK_PREFIX } from '../../../functions/ports/store/keys.ts';
import { LOCAL_TABLE_NAME } from '../../../local/runtime.ts';
import { startDynalite, type RunningDynalite } from '../dynalite.ts';

/**
 * What a crash run left in the store, read from the data folder's LevelDB after the runtime has
 * stopped (dynalite opened on it in this process): the items behind each diagnosis, summarised
 * so a report can say exactly what is stored, and the task tokens the log-hygiene check must not
 * find in any output.
 */

type Item = Record<string, unknown> & { pk: string; sk: string };

export class StoredState {
  private constructor(private readonly dynalite: RunningDynalite) {}

  static async open(dataDir: string): Promise<StoredState> {
    return new StoredState(
      await startDynalite({ path: join(dataDir, 'dynamodb'), tableName: LOCAL_TABLE_NAME }),
    );
  }

  async close(): Promise<void> {
    await this.dynalite.stop();
  }

  async partition(pk: string, skPrefix?: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynalite.doc.send(
        new QueryCommand({
          TableName: this.dynalite.tableName,
          KeyConditionExpression:
            skPrefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :sk)',
          ExpressionAttributeNames: { '#pk': 'pk', ...(skPrefix === undefined ? {} : { '#sk': 'sk' }) },
          ExpressionAttributeValues: { ':pk': pk, ...(skPrefix === undefined ? {} : { ':sk': skPrefix }) },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...((page.Items ?? []) as Item[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  /** How many items have a partition key starting with `pkPrefix` (a Scan: for small test tables only). */
  async countItems(pkPrefix: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynalite.doc.send(
        new ScanCommand({
          TableName: this.dynalite.tableName,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      count += (page.Items ?? []).filter((item) => String(item.pk).startsWith(pkPrefix)).length;
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return count;
  }

  /** Every task token stored for the applications (secrets for the log-hygiene check). */
  async taskTokens(applicationIds: readonly string[]): Promise<string[]> {
    const tokens: string[] = [];
    for (const id of applicationIds) {
      const { pk } = keys.application(id);
      for (const item of await this.partition(pk, `${SK_PREFIX.step}TaskToken`)) {
        if (typeof item.taskToken === 'string') tokens.push(item.taskToken);
      }
    }
    return tokens;
  }

  /** The enterprise profile's claim and restorations, and each application partition's shape. */
  async describe(enterpriseId: string, applicationIds: readonly string[]): Promise<Record<string, unknown>> {
    const profile = (await this.partition(keys.enterprise(enterpriseId).pk)).find((i) => i.sk === 'PROFILE');
    const applications: Record<string, unknown> = {};
    for (const id of applicationIds) {
      const items = await this.partition(keys.application(id).pk);
      const app = items.find((i) => i.sk === 'APP');
      const state = app?.state as Record<string, unknown> | undefined;
      applications[id] = app
        ? {
            status: state?.status,
            approvedAt: state?.approvedAt,
            version: app.version,
            executionName: app.executionName,
            closedOutAt: app.closedOutAt,
            duePk: app.duePk,
            lastEvents: ((app.lastEvents ?? [app.lastEvent]) as ({ type?: string } | undefined)[]).map(
              (e) => e?.type,
            ),
            steps: items.filter((i) => i.sk.startsWith(SK_PREFIX.step)).map((i) => i.sk),
            timeline: items.filter((i) => i.sk.startsWith(SK_PREFIX.event)).map((i) => String(i.type)),
          }
        : { missing: true, otherItems: items.map((i) => i.sk) };
    }
    return {
      profile: profile
        ? {
            openApplicationId: profile.openApplicationId,
            version: profile.version,
            restorations: profile.restorations,
          }
        : 'missing',
      applications,
    };
  }

  /** Powertools' idempotency records still IN_PROGRESS, with their expiry (they hold keys). */
  async idempotencyInProgress(): Promise<{ sk: string; inProgressExpiresAt?: string }[]> {
    return (await this.partition(IDEMPOTENCY_PARTITION))
      .filter((i) => i.status === 'INPROGRESS')
      .map((i) => ({
        sk: i.sk,
        ...(typeof i.in_progress_expiration === 'number'
          ? { inProgressExpiresAt: new Date(i.in_progress_expiration).toISOString() }
          : {}),
      }));
  }
}
