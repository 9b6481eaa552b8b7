import { assertSendable, type Mailer, type MailMessage, type SentMail } from '../../ports/mailer.ts';

/** The in-memory twin of the mailers: it keeps every message it accepts, in order. */
export class MemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<SentMail> {
    assertSendable(message);
    this.sent.push(message);
    return { messageId: `memory-${this.sent.length}` };
  }

  /** The messages sent to `address`. */
  to(address: string): MailMessage[] {
    return this.sent.filter((message) => message.to.includes(address));
  }
}
