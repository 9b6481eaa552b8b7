import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { assertSendable, type Mailer, type MailMessage, type SentMail } from '../../ports/mailer.ts';

/** SES v2 SendEmail, with an optional configuration set (delivery events, suppression). */
export class SesMailer implements Mailer {
  private readonly client: () => SESv2Client;
  private readonly from: string;
  private readonly configurationSet: string | undefined;

  constructor(client: () => SESv2Client, from: string, configurationSet?: string) {
    this.client = client;
    this.from = from;
    this.configurationSet = configurationSet;
  }

  async send(message: MailMessage): Promise<SentMail> {
    assertSendable(message);
    const charset = 'UTF-8';
    const out = await this.client().send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [...message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: charset },
            Body: {
              Text: { Data: message.text, Charset: charset },
              Html: { Data: message.html, Charset: charset },
            },
          },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(message.tags
          ? {
              EmailTags: Object.entries(message.tags).map(([Name, Value]) => ({
                Name,
                Value: sesTagValue(Value),
              })),
            }
          : {}),
      }),
    );
    if (!out.MessageId) throw new Error('SES accepted the message without a MessageId');
    return { messageId: out.MessageId };
  }
}

/** SES tag values allow only ASCII letters, digits, `_`, `-`, `.`, `@`. */
function sesTagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_\-.@]/g, '_');
}
