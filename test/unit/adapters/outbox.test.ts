import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../functions/adapters/memory/clock.ts';
import { composeBilingual } from '../../../functions/pages/email/bilingual.ts';
import { listOutbox, OutboxMailer, readOutboxEml } from '../../../functions/adapters/outbox/mailer.ts';
import { mailerFromEnv } from '../../../functions/composition/mailer.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const message = (n: number) => ({
  to: ['reviewer@tax.example.cn'],
  ...composeBilingual({
    subject: { zh: `审核通知 ${n}`, en: `Review notice ${n}` },
    paragraphs: [{ zh: '请审核。', en: 'Please review.' }],
    actions: [{ label: { zh: '审核', en: 'Review' }, url: `http://127.0.0.1:3000/review/link${n}` }],
  }),
});

describe('the outbox mailer', () => {
  it('writes an RFC 5322 message and a JSON sidecar, with the links and the clock time', async () => {
    const clock = new ManualClock('2026-05-01T02:03:04.005Z');
    const mailer = new OutboxMailer({ dir: join(dir, 'nested'), from: 'noreply@customs.example.cn', clock });
    const { messageId } = await mailer.send(message(1));

    const [entry] = await listOutbox(join(dir, 'nested'));
    expect(entry).toMatchObject({
      id: messageId,
      to: ['reviewer@tax.example.cn'],
      subject: '审核通知 1 / Review notice 1',
      links: ['http://127.0.0.1:3000/review/link1'],
      sentAt: '2026-05-01T02:03:04.005Z',
    });
    expect(entry?.html).toContain('<a href="http://127.0.0.1:3000/review/link1"');

    const eml = await readOutboxEml(join(dir, 'nested'), messageId);
    expect(eml).toBeDefined();
    expect(eml).toMatch(/^From: noreply@customs\.example\.cn\r?$/m);
    expect(eml).toMatch(/^To: reviewer@tax\.example\.cn\r?$/m);
    // Non-ASCII subjects are RFC 2047 encoded words, never raw UTF-8 in a header.
    expect(eml).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(eml).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(eml).toMatch(/^Date: Fri, 01 May 2026 02:03:04 \+0000\r?$/m);
  });

  it('lists messages oldest first, also within one millisecond', async () => {
    const clock = new ManualClock('2026-05-02T00:00:00.000Z');
    const mailer = new OutboxMailer({ dir, from: 'credit-repair@localhost', clock });
    await mailer.send(message(1));
    await mailer.send(message(2));
    clock.set('2026-05-03T00:00:00.000Z');
    await mailer.send(message(3));

    const subjects = (await listOutbox(dir)).map((e) => e.subject.split(' / ')[1]);
    expect(subjects).toEqual(['Review notice 1', 'Review notice 2', 'Review notice 3']);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads a missing folder as an empty outbox and refuses ids that are not its own', async () => {
    expect(await listOutbox(join(dir, 'absent'))).toEqual([]);
    expect(await readOutboxEml(dir, '../../etc/passwd')).toBeUndefined();
  });

  it('refuses header injection through recipients or subject', async () => {
    const mailer = new OutboxMailer({
      dir,
      from: 'credit-repair@localhost',
      clock: new ManualClock('2026-05-04T00:00:00Z'),
    });
    await expect(mailer.send({ ...message(1), to: ['a@b.test\r\nBcc: x@y.test'] })).rejects.toThrow(
      /recipient/,
    );
    await expect(mailer.send({ ...message(1), to: [] })).rejects.toThrow(/recipient/);
    await expect(mailer.send({ ...message(1), subject: 'a\nb' })).rejects.toThrow(/one line/);
    expect(await listOutbox(dir)).toEqual([]);
  });
});

describe('the deployed mailer (mailerFromEnv)', () => {
  it('is SMTP with the relay of a secret when one is named, else SES', () => {
    const sender = 'noreply@customs.example.cn';
    expect(mailerFromEnv({ SENDER_EMAIL: sender, SMTP_SECRET_ARN: 'arn:secret' }).constructor.name).toBe(
      'SmtpMailer',
    );
    expect(mailerFromEnv({ SENDER_EMAIL: sender }).constructor.name).toBe('SesMailer');
  });

  it('needs a sender address', () => {
    expect(() => mailerFromEnv({})).toThrow(/SENDER_EMAIL/);
    expect(() => mailerFromEnv({ SMTP_SECRET_ARN: 'arn:secret' })).toThrow(/SENDER_EMAIL/);
  });
});
