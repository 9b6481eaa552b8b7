import { sesClient } from '../adapters/ses/client.ts';
import { OutboxMailer } from '../adapters/outbox/mailer.ts';
import { DEFAULT_SENDER, MAIL_ENV, type Mailer } from '../ports/mailer.ts';
import { SesMailer } from '../adapters/ses/mailer.ts';
import { SmtpMailer } from '../adapters/smtp/mailer.ts';
import { SMTP_SECRET_ARN_ENV, smtpSettings } from '../adapters/secrets-manager/smtp-settings.ts';

export type { Mailer, MailMessage, SentMail } from '../ports/mailer.ts';
export { MAIL_ENV } from '../ports/mailer.ts';
export { OutboxMailer, listOutbox, readOutboxEml, type OutboxEntry } from '../adapters/outbox/mailer.ts';
export { SesMailer } from '../adapters/ses/mailer.ts';
export { SmtpMailer } from '../adapters/smtp/mailer.ts';
export { SMTP_SECRET_ARN_ENV } from '../adapters/secrets-manager/smtp-settings.ts';
export * from '../pages/email/bilingual.ts';

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
