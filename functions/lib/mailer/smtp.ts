import type { Transporter } from 'nodemailer';
import { assertSendable, type Mailer, type MailMessage, type SentMail } from './port.ts';

/**
 * SMTP through nodemailer (SMTP_URL, e.g. `smtp://user:pass@host:587`), for a real or catcher server.
 * nodemailer loads on first use: the Lambda bundles, which mail through SES, leave it out.
 */
export class SmtpMailer implements Mailer {
  private transport: Promise<Transporter> | undefined;
  private readonly smtpUrl: string;
  private readonly from: string;

  constructor(smtpUrl: string, from: string) {
    this.smtpUrl = smtpUrl;
    this.from = from;
  }

  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(this.smtpUrl),
    );
    return this.transport;
  }

  async send(message: MailMessage): Promise<SentMail> {
    assertSendable(message);
    const transport = await this.transporter();
    const info = (await transport.sendMail({
      from: this.from,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: Object.fromEntries(Object.entries(message.tags ?? {}).map(([k, v]) => [`X-Tag-${k}`, v])),
    })) as { messageId: string };
    return { messageId: info.messageId };
  }

  async close(): Promise<void> {
    if (this.transport) (await this.transport).close();
  }
}
