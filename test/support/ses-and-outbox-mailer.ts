import { sesClient } from '../../functions/adapters/ses/client.ts';
import { OutboxMailer } from '../../functions/adapters/outbox/mailer.ts';
import { SesMailer } from '../../functions/adapters/ses/mailer.ts';
import type { Clock } from '../../functions/ports/clock.ts';
import { type Mailer, type MailMessage, type SentMail } from '../../functions/ports/mailer.ts';

/**
 * Sends every message through the deployed adapter (SES v2 on the shared client, pointed at a test
 * endpoint) and also into the embedded runtime's outbox. The SES call is what a function's IAM role
 * must allow; the outbox copy is where the HTTP test helpers find review links.
 */
export class SesAndOutboxMailer implements Mailer {
  readonly #ses: SesMailer;
  readonly #outbox: OutboxMailer;

  constructor(outboxDir: string, sender: string, clock: Clock) {
    this.#ses = new SesMailer(sesClient, sender);
    this.#outbox = new OutboxMailer({ dir: outboxDir, from: sender, clock });
  }

  async send(message: MailMessage): Promise<SentMail> {
    const sent = await this.#ses.send(message);
    await this.#outbox.send(message);
    return sent;
  }
}
