import type { ApplicationState } from '../../../domain/lifecycle.ts';
import { isFinalStatus, type Party } from '../../../domain/vocabulary.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { applicationPartition, prefixes } from '../../ports/store/keys.ts';
import { type Store } from '../../ports/store/store.ts';
import { changesRequestedEmail } from '../../pages/email/application-emails.ts';
import { requireApplication, storeTaskToken } from '../applications/repository.ts';
import type { EvidenceWaitResult } from '../applications/waits.ts';
import { failClosedWait, resumeWait, type WorkflowContext } from './context.ts';

const timelineEvents = (store: Store, applicationId: string) =>
  store.queryAll({
    partition: applicationPartition(applicationId),
    sortKey: { beginsWith: prefixes.events() },
    consistent: true,
  });

/** When the round's evidence was submitted: the round-th EVIDENCE_SUBMITTED of the timeline. */
async function evidenceSubmittedAt(
  store: Store,
  applicationId: string,
  round: number,
): Promise<string | undefined> {
  const submissions = (await timelineEvents(store, applicationId)).filter(
    (e) => e.type === 'EVIDENCE_SUBMITTED',
  );
  const at = submissions[round - 1]?.at;
  return typeof at === 'string' ? at : undefined;
}

async function notifyChangesRequested(
  ctx: WorkflowContext,
  state: ApplicationState,
  round: number,
): Promise<void> {
  await ctx.store.memoizedStep(state.id, 'NotifyChangesRequested', round, async () => {
    const enterprise = await requireEnterprise(ctx.store, state.enterpriseId);
    const notes = (await timelineEvents(ctx.store, state.id)).flatMap((e) => {
      const detail = e.detail as Record<string, unknown> | undefined;
      return e.type === 'REVIEW_DECIDED' &&
        detail?.round === round - 1 &&
        detail.decision === 'REQUEST_CHANGES' &&
        typeof detail.comment === 'string'
        ? [{ party: detail.party as Party, comment: detail.comment }]
        : [];
    });
    const email = changesRequestedEmail({
      enterpriseName: enterprise.profile.name,
      applicationId: state.id,
      round,
      evidenceDueOn: state.evidenceDueOn,
      notes,
    });
    await ctx.mailer.send({
      to: [enterprise.profile.contactEmail],
      ...email,
      tags: { kind: 'changes-requested' },
    });
    return { sentTo: 'applicant' };
  });
}

export async function awaitEvidenceStep(
  ctx: WorkflowContext,
  input: { applicationId: string; round: number; taskToken: string },
): Promise<{ waiting: boolean }> {
  const { store } = ctx;
  await storeTaskToken(
    store,
    input.applicationId,
    { task: 'AwaitEvidence' },
    input.round,
    input.taskToken,
    ctx.now().toISOString(),
  );
  const { state } = await requireApplication(store, input.applicationId);
  if (isFinalStatus(state.status)) {
    // A decided application replayed by a restarted execution: the round's evidence came in, so
    // the run goes on to the recorded reviews and outcome and tells whoever was not told yet.
    const submittedAt = await evidenceSubmittedAt(store, input.applicationId, input.round);
    const decidedAfterReview = state.status !== 'WITHDRAWN' && state.outcome?.reason !== 'WORKFLOW_FAILED';
    if (submittedAt !== undefined && decidedAfterReview) {
      await resumeWait(input.taskToken, { submittedAt } satisfies EvidenceWaitResult);
      return { waiting: false };
    }
    await failClosedWait(input.taskToken, state, 'EVIDENCE_TIMEOUT');
    return { waiting: false };
  }
  if (state.round > input.round || state.status === 'UNDER_REVIEW') {
    const submittedAt =
      (await evidenceSubmittedAt(store, input.applicationId, input.round)) ?? state.updatedAt;
    await resumeWait(input.taskToken, { submittedAt } satisfies EvidenceWaitResult);
    return { waiting: false };
  }
  if (input.round > 1) await notifyChangesRequested(ctx, state, input.round);
  return { waiting: true };
}
