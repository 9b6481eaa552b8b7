import type { ApplicationState } from '../../../domain/lifecycle.ts';
import { isFinalStatus, type Party } from '../../../domain/vocabulary.ts';
import { changesRequestedEmail } from '../../pages/email/application-emails.ts';
import type { Needs } from '../../ports/ports.ts';
import { requireApplication } from '../applications/records.ts';
import { storeTaskToken } from '../applications/task-tokens.ts';
import { changeRequestsInTimeline, readTimeline, type TimelineEntry } from '../applications/timeline.ts';
import type { EvidenceWaitResult } from '../applications/waits.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { failClosedWait, resumeWait, stopStaleExecution } from './context.ts';

type AwaitEvidencePorts = Needs<'store' | 'clock' | 'mailer' | 'workflow'>;

/**
 * When the round's evidence was submitted: the round-th submission on the timeline. Only a wait
 * found already over asks (a restarted execution), to end it with the result the first one had.
 */
function evidenceSubmittedAt(timeline: readonly TimelineEntry[], round: number): string | undefined {
  return timeline.filter((entry) => entry.type === 'EVIDENCE_SUBMITTED')[round - 1]?.at;
}

/**
 * The change requests of the round before `round`, from the state's record of ended rounds; an
 * application stored before revision 2 keeps none there, so its timeline's entries stand in.
 */
async function changeRequestsBefore(
  ports: AwaitEvidencePorts,
  state: ApplicationState,
  round: number,
): Promise<{ party: Party; comment: string }[]> {
  if (state.earlierRounds === undefined) {
    return changeRequestsInTimeline(await readTimeline(ports.store, state.id), round - 1);
  }
  const ended = state.earlierRounds.find((r) => r.round === round - 1);
  // In the order they were made, as the applicant would have read them come in.
  return [...(ended?.reviews ?? [])]
    .sort((a, b) =>
      (a.decidedAt ?? '') < (b.decidedAt ?? '') ? -1 : (a.decidedAt ?? '') > (b.decidedAt ?? '') ? 1 : 0,
    )
    .flatMap((review) =>
      review.status === 'CHANGES_REQUESTED' && review.comment !== undefined
        ? [{ party: review.party, comment: review.comment }]
        : [],
    );
}

async function notifyChangesRequested(
  ports: AwaitEvidencePorts,
  state: ApplicationState,
  round: number,
): Promise<void> {
  await ports.store.memoizedStep(state.id, 'NotifyChangesRequested', round, async () => {
    const enterprise = await requireEnterprise(ports.store, state.enterpriseId);
    const email = changesRequestedEmail({
      enterpriseName: enterprise.profile.name,
      applicationId: state.id,
      round,
      evidenceDueOn: state.evidenceDueOn,
      notes: await changeRequestsBefore(ports, state, round),
    });
    await ports.mailer.send({
      to: [enterprise.profile.contactEmail],
      ...email,
      tags: { kind: 'changes-requested' },
    });
    return { sentTo: 'applicant' };
  });
}

/**
 * AwaitEvidence (callback): stores the task token; the evidence submission resumes it, or this step
 * does at once when the round's evidence is already in (a restarted execution). From round 2 it
 * first tells the applicant what the parties asked to change (once per round).
 */
export async function awaitEvidenceStep(
  ports: AwaitEvidencePorts,
  input: { applicationId: string; round: number; taskToken: string; executionName?: string | undefined },
): Promise<{ waiting: boolean }> {
  const { store, workflow } = ports;
  const kept = await storeTaskToken(
    store,
    input.applicationId,
    { task: 'AwaitEvidence' },
    input.round,
    input.taskToken,
    ports.clock.now().toISOString(),
    input.executionName,
  );
  if (kept === 'stale') return stopStaleExecution(workflow, input.applicationId, input.executionName);
  const { state } = await requireApplication(store, input.applicationId);
  if (isFinalStatus(state.status)) {
    // A decided application replayed by a restarted execution: the round's evidence came in, so
    // the run goes on to the recorded reviews and outcome and tells whoever was not told yet.
    const submittedAt = evidenceSubmittedAt(await readTimeline(store, input.applicationId), input.round);
    const decidedAfterReview = state.status !== 'WITHDRAWN' && state.outcome?.reason !== 'WORKFLOW_FAILED';
    if (submittedAt !== undefined && decidedAfterReview) {
      await resumeWait(workflow, input.taskToken, { submittedAt } satisfies EvidenceWaitResult);
      return { waiting: false };
    }
    await failClosedWait(workflow, input.taskToken, state, 'EVIDENCE_TIMEOUT');
    return { waiting: false };
  }
  if (state.round > input.round || state.status === 'UNDER_REVIEW') {
    const submittedAt =
      evidenceSubmittedAt(await readTimeline(store, input.applicationId), input.round) ?? state.updatedAt;
    await resumeWait(workflow, input.taskToken, { submittedAt } satisfies EvidenceWaitResult);
    return { waiting: false };
  }
  if (input.round > 1) await notifyChangesRequested(ports, state, input.round);
  return { waiting: true };
}
