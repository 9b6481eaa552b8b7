import {
  boolean,
  int,
  minLength,
  object,
  optional,
  string,
  type infer as Infer,
  schema,
} from '../../../domain/zod.ts';
import { secretValue } from './secret-value.ts';

/**
 * The SMTP relay of a deployment without SES (AWS China): host and credentials in one Secrets
 * Manager secret, whose ARN the mailing functions get in SMTP_SECRET_ARN (composition/environment.ts). Read once per container
 * (on the first message) and kept; a failed read is not kept, so the next message tries again.
 */

export const SmtpSettings = /* @__PURE__ */ schema(() =>
  object({
    host: string().check(minLength(1)),
    port: int(),
    /** TLS from the first byte (465); false means STARTTLS on 587, which nodemailer then requires. */
    secure: optional(boolean()),
    username: string().check(minLength(1)),
    password: string().check(minLength(1)),
  }),
);
export type SmtpSettings = Infer<typeof SmtpSettings>;

/** What the stateful stack writes into a new secret: the shape to fill in (docs/deploy.md). */
export const SMTP_SECRET_TEMPLATE = { host: '', port: 465, secure: true, username: '' } as const;

let fetched: { readonly arn: string; readonly settings: Promise<SmtpSettings> } | undefined;

async function fetchSettings(arn: string): Promise<SmtpSettings> {
  // Only deployments that mail through SMTP read it.
  const value = await secretValue(arn);
  const parsed = SmtpSettings.safeParse(jsonOf(value));
  if (!parsed.success) {
    // Names no value: the secret holds a password.
    throw new Error(`the SMTP secret ${arn} is not filled in: it needs host, port, username and password`);
  }
  return parsed.data;
}

/** The secret's JSON (a binary secret read as UTF-8), or undefined when it is none. */
function jsonOf(value: string | Uint8Array | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(typeof value === 'string' ? value : new TextDecoder().decode(value));
  } catch {
    // Refused below as not filled in; the parser's message would quote the secret.
    return undefined;
  }
}

/** The relay settings the secret `arn` holds, fetched once per container. */
export function smtpSettings(arn: string): Promise<SmtpSettings> {
  if (fetched?.arn === arn) return fetched.settings;
  const settings = fetchSettings(arn);
  fetched = { arn, settings };
  settings.catch(() => {
    if (fetched?.settings === settings) fetched = undefined;
  });
  return settings;
}
