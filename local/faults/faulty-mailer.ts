import { TooManyRequestsException } from '@aws-sdk/client-sesv2';
import type { MailMessage, Mailer, SentMail } from '../../functions/ports/mailer.ts';
import { currentFunctionKey } from '../call-attribution.ts';
import type { FaultBook } from './faults.ts';

/**
 * The embedded runtime's mail goes to the outbox (or SMTP), not SES; an armed `ses:SendEmail` fault
 * makes it refuse a message with the error SES v2 raises above its sending rate, so the handlers
 * meet what they meet on AWS.
 */
export class FaultyMailer implements Mailer {
  readonly #inner: Mailer;
  readonly #book: FaultBook;

  constructor(inner: Mailer, book: FaultBook) {
    this.#inner = inner;
    this.#book = book;
  }

  async send(message: MailMessage): Promise<SentMail> {
    const fault = this.#book.take('ses:SendEmail', currentFunctionKey());
    if (fault !== undefined) {
      throw new TooManyRequestsException({
        message: 'Maximum sending rate exceeded.',
        $metadata: { httpStatusCode: 429, requestId: 'local-fault', attempts: 1 },
      });
    }
    return this.#inner.send(message);
  }
}
