import { assertCanActFor, type Principal } from '../../auth/claims.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import type { Store } from '../../ports/store/store.ts';
import { stopRepairExecution } from '../../adapters/sfn/workflow-client.ts';
import {
  changeApplication,
  closeOutApplication,
  requireApplication,
  type ApplicationRecord,
} from './repository.ts';
import { actorOf } from './submit.ts';

/**
 * POST /applications/{id}/withdraw: WITHDRAWN (the review links stop deciding: they check the
 * application), the enterprise's open-application claim released, the execution stopped.
 * Withdrawing a withdrawn application repeats the release and the stop and changes nothing else;
 * any other final status is the domain's APPLICATION_FINAL (409).
 */
export async function withdrawApplication(
  store: Store,
  applicationId: string,
  principal: Principal,
  now: Date,
): Promise<ApplicationRecord> {
  const current = await requireApplication(store, applicationId);
  assertCanActFor(principal, current.state.enterpriseId);
  const { record } = await changeApplication(
    store,
    applicationId,
    (state) => (state.status === 'WITHDRAWN' ? null : { type: 'WITHDRAWN', at: now.toISOString() }),
    actorOf(principal),
  );
  await releaseOpenApplication(store, record.state.enterpriseId, applicationId);
  await stopRepairExecution(record.executionName ?? applicationId, 'withdrawn by the applicant');
  // A withdrawal is the applicant's own act: the stopped workflow owes nobody a message.
  await closeOutApplication(store, applicationId, now.toISOString());
  return record;
}
