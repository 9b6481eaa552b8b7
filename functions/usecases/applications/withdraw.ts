import { actorOf, type Principal } from '../../auth/principal.ts';
import { assertOwnApplication } from './access.ts';
import type { Needs } from '../../ports/ports.ts';
import { reached } from '../../observability/crash-points.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import {
  changeApplication,
  closeOutApplication,
  requireApplication,
  type ApplicationRecord,
} from './records.ts';

/**
 * POST /applications/{id}/withdraw: WITHDRAWN (the review links stop deciding: they check the
 * application), the enterprise's open-application claim released, the execution stopped.
 * Withdrawing a withdrawn application repeats the release and the stop and changes nothing else;
 * any other final status is the domain's APPLICATION_FINAL (409).
 */
export async function withdrawApplication(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  applicationId: string,
  principal: Principal,
  now: Date,
): Promise<ApplicationRecord> {
  const { store } = ports;
  const current = await requireApplication(store, applicationId);
  assertOwnApplication(principal, current.state);
  const { record } = await changeApplication(
    ports,
    applicationId,
    (state) => (state.status === 'WITHDRAWN' ? null : { type: 'WITHDRAWN', at: now.toISOString() }),
    actorOf(principal),
  );
  reached('withdraw.withdrawn');
  await releaseOpenApplication(store, record.state.enterpriseId, applicationId);
  await ports.workflow.stop(record.executionName ?? applicationId, 'withdrawn by the applicant');
  // A withdrawal is the applicant's own act: the stopped workflow owes nobody a message.
  await closeOutApplication(store, applicationId, now.toISOString());
  return record;
}
