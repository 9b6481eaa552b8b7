/**
 * The mailer port: use cases send mail through it and never know which adapter is behind it (SES,
 * SMTP, the embedded runtime's outbox, the in-memory twin).
 */

export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Name/value pairs for delivery tracking (SES message tags); adapters that cannot use them ignore them. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SentMail {
  readonly messageId: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
}

export function assertSendable(message: MailMessage): void {
  if (message.to.length === 0) throw new Error('a message needs at least one recipient');
  for (const address of message.to) {
    // Header injection guard: an address never spans lines.
    if (/[\r\n]/.test(address) || !address.includes('@')) throw new Error('invalid recipient address');
  }
  if (/[\r\n]/.test(message.subject)) throw new Error('a subject is one line');
}
