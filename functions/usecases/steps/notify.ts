import type { Needs } from '../../ports/ports.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import { getReviewer } from '../directory/reviewers.ts';
import { releaseOpenApplication } from '../enterprises/open-claim.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { outcomeEmail } from '../../pages/email/application-emails.ts';
import { closeOutApplication, requireApplication } from '../applications/records.ts';
import { StepPreconditionError, WHOLE_APPLICATION } from './context.ts';
import { sendOnce } from './send-once.ts';
import type { MailMessage } from '../../ports/mailer.ts';

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
  // One intent and mark per audience (send-once.ts), so a re-run after the first message does not
  // send it again, and a re-run after a crash between a send and its mark sends the same message.
  const sendMail = async (message: MailMessage): Promise<void> => {
    await ports.mailer.send(message);
  };
  const sent = (message: MailMessage | null): { sent: number } => ({ sent: message === null ? 0 : 1 });
  const applicant = await sendOnce(
    store,
    { applicationId, step: 'Notify.applicant', round: WHOLE_APPLICATION },
    {
      prepare: () => {
        const email = outcomeEmail({ audience: 'APPLICANT', enterpriseName, state });
        return Promise.resolve({
          to: [enterprise.profile.contactEmail],
          ...email,
          tags: { kind: 'outcome' },
        });
      },
      send: sendMail,
      result: sent,
      sentPoint: 'notify.sent.applicant',
    },
  );
  const parties = await sendOnce(
    store,
    { applicationId, step: 'Notify.parties', round: WHOLE_APPLICATION },
    {
      prepare: async (): Promise<MailMessage | null> => {
        // Parties hear the outcome of what they were asked to review, not of an application that
        // never reached them (found ineligible, or its evidence never came).
        const reviewed = state.round > 1 || state.reviewOpenedOn !== undefined;
        if (!reviewed) return null;
        const reviewers = await Promise.all(state.parties.map((party) => getReviewer(store, party)));
        const to = [...new Set(reviewers.flatMap((r) => (r ? [r.email] : [])))];
        if (to.length === 0) return null;
        const email = outcomeEmail({ audience: 'PARTIES', enterpriseName, state });
        return { to, ...email, tags: { kind: 'outcome' } };
      },
      send: sendMail,
      result: sent,
      sentPoint: 'notify.sent.parties',
    },
  );
  await closeOutApplication(store, applicationId, ports.clock.now().toISOString());
  return { sent: applicant.sent + parties.sent };
}
