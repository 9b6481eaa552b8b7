import type { Transporter } from 'nodemailer';
import { assertSendable, type Mailer, type MailMessage, type SentMail } from '../../ports/mailer.ts';
import type { SmtpSettings } from '../secrets-manager/smtp-settings.ts';

/**
 * SMTP through nodemailer, for a real or catcher server: either SMTP_URL (e.g.
 * `smtp://user:pass@host:587`) or settings read from a secret on the first message (the AWS China
 * profile, smtp-settings.ts). nodemailer loads on first use: bundles that mail through SES leave
 * it out; the China profile's bundles include it (infra/constructs/task-function.ts).
 */
export class SmtpMailer implements Mailer {
  private transport: Promise<Transporter> | undefined;
  private readonly server: string | (() => Promise<SmtpSettings>);
  private readonly from: string;

  constructor(server: string | (() => Promise<SmtpSettings>), from: string) {
    this.server = server;
    this.from = from;
  }

  private transporter(): Promise<Transporter> {
    if (this.transport !== undefined) return this.transport;
    const server = this.server;
    const transport = (async () => {
      const { default: nodemailer } = await import('nodemailer');
      if (typeof server === 'string') return nodemailer.createTransport(server);
      const settings = await server();
      return nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure ?? settings.port === 465,
        // Without TLS from the start, STARTTLS is required: credentials never cross in clear.
        requireTLS: true,
        auth: { user: settings.username, pass: settings.password },
      });
    })();
    // A failed start (the secret could not be read) is not kept: the next message tries again.
    transport.catch(() => {
      if (this.transport === transport) this.transport = undefined;
    });
    this.transport = transport;
    return transport;
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
