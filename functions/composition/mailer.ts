import { sesClient } from '../adapters/ses/client.ts';
import { SesMailer } from '../adapters/ses/mailer.ts';
import { smtpSettings } from '../adapters/secrets-manager/smtp-settings.ts';
import { SmtpMailer } from '../adapters/smtp/mailer.ts';
import type { Mailer } from '../ports/mailer.ts';
import { MAIL_ENV, SMTP_SECRET_ARN_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

/**
 * The deployed mailer, from the environment: SMTP with the relay from Secrets Manager when
 * SMTP_SECRET_ARN is set (deployments without SES: AWS China), otherwise SES. SENDER_EMAIL is
 * required either way. The embedded runtime installs its own (outbox, or SMTP_URL).
 */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  const sender = env[MAIL_ENV.sender];
  if (!sender) throw new Error(`environment variable ${MAIL_ENV.sender} is not set`);
  const smtpSecretArn = env[SMTP_SECRET_ARN_ENV];
  if (smtpSecretArn) return new SmtpMailer(() => smtpSettings(smtpSecretArn), sender);
  return new SesMailer(sesClient, sender, env[MAIL_ENV.sesConfigurationSet] || undefined);
}

let built: { readonly settings: string; readonly mailer: Mailer } | undefined;

/** The mailer of the current settings, built on the first message and again when they change. */
function fromEnv(): Mailer {
  const settings = JSON.stringify([
    process.env[MAIL_ENV.sender],
    process.env[SMTP_SECRET_ARN_ENV],
    process.env[MAIL_ENV.sesConfigurationSet],
  ]);
  if (built?.settings !== settings) built = { settings, mailer: mailerFromEnv() };
  return built.mailer;
}

/** Builds its mailer when a message is sent, so a handler that sends none needs no mail settings. */
const deployed: Mailer = { send: async (message) => fromEnv().send(message) };

/** The mailer a handler gives its use case: the installed one, or the deployed one. */
export const mailer = (): Mailer => installedPort('mailer') ?? deployed;
