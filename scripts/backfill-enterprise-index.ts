/**
 * Gives the enterprise profiles of a deployed table that predate the tier index their entries
 * (functions/usecases/enterprises/reindex.ts), once: the embedded runtime does the same on start.
 * Run with the deployment's credentials and region:
 *
 *   TABLE_NAME=<the stateful stack's table> npm exec -- tsx scripts/backfill-enterprise-index.ts
 *
 * It Scans the table once (a migration, not a request path) and records that it ran.
 */
import { localDateIn } from '../domain/dates.ts';
import { documentClient } from '../functions/adapters/dynamodb/client.ts';
import { unindexedEnterpriseIds } from '../functions/adapters/dynamodb/unindexed-profiles.ts';
import { requiredEnv, TABLE_NAME_ENV } from '../functions/composition/environment.ts';
import { store } from '../functions/composition/store.ts';
import { backfillEnterpriseIndex } from '../functions/usecases/enterprises/reindex.ts';

const tableName = requiredEnv(TABLE_NAME_ENV);
const now = new Date();
const indexed = await backfillEnterpriseIndex(
  store(),
  () => unindexedEnterpriseIds(documentClient(), tableName),
  now.toISOString(),
  localDateIn(now),
);
process.stdout.write(`${JSON.stringify({ table: tableName, indexed })}\n`);
