import { actorOf, type Principal } from '../../auth/principal.ts';
import { assertOwnApplication } from './access.ts';
import type { Needs } from '../../ports/ports.ts';
import { reached } from '../../observability/crash-points.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import {
  changeApplication,
  closeOutApplication,
  loadApplicationWithTimeline,
  repairOutbox,
  type ApplicationRecord,
} from './records.ts';
import { ApplicationNotFoundError } from './errors.ts';

/**
 * POST /applications/{id}/withdraw: WITHDRAWN (the review links stop deciding: they check the
 * application), the enterprise's open-application claim released, the execution stopped.
 * Withdrawing a withdrawn application repeats the release and the stop and changes nothing else;
 * any other final status is the domain's APPLICATION_FINAL (409).
 */
export function withdrawApplication(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  applicationId: string,
  principal: Principal,
  now: Date,
): Promise<ApplicationRecord> {
  return withdrawAndRead(ports, applicationId, principal, now, (record) => Promise.resolve(record));
}

/**
 * Withdraws as withdrawApplication does, and answers what `read` makes of the withdrawn record;
 * `read` runs beside the last step (the close-out only takes the application off the sweep's
 * watch, which no answer shows), so a route's answer costs no round trip of its own.
 */
export async function withdrawAndRead<T>(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  applicationId: string,
  principal: Principal,
  now: Date,
  read: (record: ApplicationRecord) => Promise<T>,
): Promise<T> {
  const { store } = ports;
  // With its stored timeline: the outbox entries already there need no repair (usually all).
  const loaded = await loadApplicationWithTimeline(store, applicationId);
  if (loaded === undefined) throw new ApplicationNotFoundError(applicationId);
  const current = loaded.record;
  assertOwnApplication(principal, current.state);
  await repairOutbox(store, applicationId, current, loaded.timeline);
  const { record, appended } = await changeApplication(
    ports,
    applicationId,
    (state) => (state.status === 'WITHDRAWN' ? null : { type: 'WITHDRAWN', at: now.toISOString() }),
    actorOf(principal),
    { from: current, deferAppend: true },
  );
  reached('withdraw.withdrawn');
  // The claim's release and the stop are independent (a repeated withdrawal repeats both); the
  // close-out, which takes the application off the sweep's watch, waits for both.
  await Promise.all([
    appended,
    releaseOpenApplication(store, record.state.enterpriseId, applicationId),
    ports.workflow.stop(record.executionName ?? applicationId, 'withdrawn by the applicant'),
  ]);
  // A withdrawal is the applicant's own act: the stopped workflow owes nobody a message.
  const [answer] = await Promise.all([
    read(record),
    closeOutApplication(store, applicationId, now.toISOString(), record),
  ]);
  return answer;
}
