import { IllegalTransitionError } from '../../../domain/errors.ts';
import type { ApplicationStatus } from '../../../domain/vocabulary.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import type { Needs } from '../../ports/ports.ts';
import { changeApplication, requireApplication } from './records.ts';
import { failExpiredWaits } from './waits.ts';

export type ExpiryKind = 'EVIDENCE' | 'REVIEW';

export type ExpireResult =
  | { readonly expired: true; readonly status: ApplicationStatus }
  /** The deadline has not passed, the application is in another phase, or it already ended. */
  | { readonly expired: false; readonly status: ApplicationStatus; readonly code?: string };

/**
 * The sweep's expiry of an application whose evidence or review deadline passed (RULES.md §4):
 * DEADLINE_PASSED is recorded (the reducer checks the date), the open-application claim released,
 * and the waiting task failed with `Deadline.Expired`, which the state machine catches and
 * records as EXPIRED. Repeating it after a partial failure finishes the remaining steps.
 */
export async function expireApplication(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  applicationId: string,
  kind: ExpiryKind,
  now: Date,
): Promise<ExpireResult> {
  let result;
  try {
    result = await changeApplication(
      ports,
      applicationId,
      (state) =>
        state.status === 'EXPIRED' ? null : { type: 'DEADLINE_PASSED', at: now.toISOString(), kind },
      'sweep',
    );
  } catch (error) {
    if (!(error instanceof IllegalTransitionError)) throw error;
    const current = await requireApplication(ports.store, applicationId);
    return { expired: false, status: current.state.status, code: error.code };
  }
  const { state } = result.record;
  if (state.status !== 'EXPIRED') return { expired: false, status: state.status };
  await releaseOpenApplication(ports.store, state.enterpriseId, applicationId);
  // The recorded expiry decides which wait to end (a repeat may name the other kind).
  const expiredKind = state.outcome?.reason === 'EVIDENCE_TIMEOUT' ? 'EVIDENCE' : kind;
  await failExpiredWaits(ports, state, expiredKind, state.outcome?.reason ?? 'EXPIRED');
  return { expired: true, status: state.status };
}
