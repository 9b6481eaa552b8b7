import { composeBilingual, type BilingualEmail } from '../../pages/email/bilingual.ts';
import type { Mailer } from '../../ports/mailer.ts';

/** Composes and sends one of the sweep's bilingual messages; the duty kind rides along as a delivery tag. */
export async function sendNotice(
  mailer: Mailer,
  to: string,
  email: BilingualEmail,
  duty: string,
): Promise<void> {
  const composed = composeBilingual(email);
  await mailer.send({ to: [to], ...composed, tags: { source: 'sweep', duty } });
}
