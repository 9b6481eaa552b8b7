import { sesClient } from '../aws-clients.ts';
import { OutboxMailer } from './outbox.ts';
import { DEFAULT_SENDER, MAIL_ENV, type Mailer } from './port.ts';
import { SesMailer } from './ses.ts';
import { SmtpMailer } from './smtp.ts';
import { SMTP_SECRET_ARN_ENV, smtpSettings } from './smtp-settings.ts';

export type { Mailer, MailMessage, SentMail } from './port.ts';
export { MAIL_ENV } from './port.ts';
export { OutboxMailer, listOutbox, readOutboxEml, type OutboxEntry } from './outbox.ts';
export { SesMailer } from './ses.ts';
export { SmtpMailer } from './smtp.ts';
export { SMTP_SECRET_ARN_ENV } from './smtp-settings.ts';
export * from './bilingual.ts';

/**
 * Picks the adapter from the environment: MAIL_OUTBOX_DIR → outbox files, SMTP_URL → SMTP,
 * SMTP_SECRET_ARN → SMTP with the relay from Secrets Manager (deployments without SES: AWS China),
 * otherwise SES (the deployed system in the global regions). Deployed, SENDER_EMAIL is required.
 */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  const outboxDir = env[MAIL_ENV.outboxDir];
  const sender = env[MAIL_ENV.sender];
  if (outboxDir) return new OutboxMailer(outboxDir, sender || DEFAULT_SENDER);
  const smtpUrl = env[MAIL_ENV.smtpUrl];
  if (smtpUrl) return new SmtpMailer(smtpUrl, sender || DEFAULT_SENDER);
  if (!sender) throw new Error(`environment variable ${MAIL_ENV.sender} is not set`);
  const smtpSecretArn = env[SMTP_SECRET_ARN_ENV];
  if (smtpSecretArn) return new SmtpMailer(() => smtpSettings(smtpSecretArn), sender);
  return new SesMailer(sesClient, sender, env[MAIL_ENV.sesConfigurationSet] || undefined);
}

let shared: Mailer | undefined;

/** The mailer handlers share, built from the environment on first use. */
export function sharedMailer(): Mailer {
  shared ??= mailerFromEnv();
  return shared;
}

/** Installs a mailer (the embedded runtime's composition root) or, with undefined, forgets it. */
export function setSharedMailer(mailer: Mailer | undefined): void {
  shared = mailer;
}
