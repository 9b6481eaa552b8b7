import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { assertSendable, type Mailer, type MailMessage, type SentMail } from './port.ts';

/** SMTP through nodemailer (SMTP_URL, e.g. `smtp://user:pass@host:587`), for a real or catcher server. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(smtpUrl: string, from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
    this.from = from;
  }

  async send(message: MailMessage): Promise<SentMail> {
    assertSendable(message);
    const info = (await this.transport.sendMail({
      from: this.from,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: Object.fromEntries(Object.entries(message.tags ?? {}).map(([k, v]) => [`X-Tag-${k}`, v])),
    })) as { messageId: string };
    return { messageId: info.messageId };
  }

  close(): void {
    this.transport.close();
  }
}
