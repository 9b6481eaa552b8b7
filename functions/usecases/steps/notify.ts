import type { Needs } from '../../ports/ports.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { getReviewer } from '../directory/reviewers.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { outcomeEmail } from '../../pages/email/application-emails.ts';
import { closeOutApplication, requireApplication } from '../applications/records.ts';
import { StepPreconditionError, WHOLE_APPLICATION } from './context.ts';

export async function notifyStep(
  ports: Needs<'store' | 'clock' | 'mailer'>,
  applicationId: string,
): Promise<{ sent: number }> {
  const { store } = ports;
  const { state } = await requireApplication(store, applicationId);
  if (!isFinalStatus(state.status))
    throw new StepPreconditionError(`the application is still ${state.status}`);
  // Whoever closed it released the enterprise's claim, unless it crashed first (a withdrawal cut
  // short, an end by new causes): a final application never holds it. A no-op when released.
  await releaseOpenApplication(store, state.enterpriseId, applicationId);
  if (state.status === 'WITHDRAWN') {
    // The applicant's own act: nobody is owed an outcome (a run the withdrawal could not stop).
    await closeOutApplication(store, applicationId, ports.clock.now().toISOString());
    return { sent: 0 };
  }
  const enterprise = await requireEnterprise(store, state.enterpriseId);
  const enterpriseName = enterprise.profile.name;
  // One memo per audience, so a retry after the first message does not send it again.
  const applicant = await store.memoizedStep(
    applicationId,
    'Notify.applicant',
    WHOLE_APPLICATION,
    async () => {
      const email = outcomeEmail({ audience: 'APPLICANT', enterpriseName, state });
      await ports.mailer.send({ to: [enterprise.profile.contactEmail], ...email, tags: { kind: 'outcome' } });
      return { sent: 1 };
    },
  );
  const parties = await store.memoizedStep(applicationId, 'Notify.parties', WHOLE_APPLICATION, async () => {
    // Parties hear the outcome of what they were asked to review, not of an application that never
    // reached them (found ineligible, or its evidence never came).
    const reviewed = state.round > 1 || state.reviewOpenedOn !== undefined;
    if (!reviewed) return { sent: 0 };
    const reviewers = await Promise.all(state.parties.map((party) => getReviewer(store, party)));
    const to = [...new Set(reviewers.flatMap((r) => (r ? [r.email] : [])))];
    if (to.length === 0) return { sent: 0 };
    const email = outcomeEmail({ audience: 'PARTIES', enterpriseName, state });
    await ports.mailer.send({ to, ...email, tags: { kind: 'outcome' } });
    return { sent: 1 };
  });
  await closeOutApplication(store, applicationId, ports.clock.now().toISOString());
  return { sent: applicant.sent + parties.sent };
}
