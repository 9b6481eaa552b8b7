import { PowertoolsIdempotency } from '../adapters/dynamodb/idempotency.ts';
import type { Idempotency } from '../ports/idempotency.ts';
import { requiredEnv, TABLE_NAME_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

/**
 * The partition of every idempotency record of `POST /applications`; sort key
 * `createApplication#<hash>`. The deployed function may DeleteItem in this partition only
 * (infra/function-access.ts), which Powertools needs to free a key when the wrapped call throws.
 */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY#createApplication';

let built: { readonly tableName: string; readonly idempotency: Idempotency } | undefined;

/** POST /applications' idempotency records, on the table of TABLE_NAME. */
export function applicationIdempotency(): Idempotency {
  const installed = installedPort('idempotency');
  if (installed !== undefined) return installed;
  const tableName = requiredEnv(TABLE_NAME_ENV);
  if (built?.tableName !== tableName) {
    built = {
      tableName,
      idempotency: new PowertoolsIdempotency({
        tableName,
        staticPartition: IDEMPOTENCY_PARTITION,
        name: 'createApplication',
      }),
    };
  }
  return built.idempotency;
}
