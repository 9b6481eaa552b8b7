import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClockSource } from '../../../functions/composition/clock.ts';
import { composeBilingual } from '../../../functions/pages/email/bilingual.ts';
import {
  listOutbox,
  mailerFromEnv,
  OutboxMailer,
  readOutboxEml,
} from '../../../functions/composition/mailer.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'));
});

afterEach(async () => {
  setClockSource(null);
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
    setClockSource(() => new Date('2026-05-01T02:03:04.005Z'));
    const mailer = new OutboxMailer(join(dir, 'nested'), 'noreply@customs.example.cn');
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
    const mailer = new OutboxMailer(dir);
    setClockSource(() => new Date('2026-05-02T00:00:00.000Z'));
    await mailer.send(message(1));
    await mailer.send(message(2));
    setClockSource(() => new Date('2026-05-03T00:00:00.000Z'));
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
    const mailer = new OutboxMailer(dir);
    await expect(mailer.send({ ...message(1), to: ['a@b.test\r\nBcc: x@y.test'] })).rejects.toThrow(
      /recipient/,
    );
    await expect(mailer.send({ ...message(1), to: [] })).rejects.toThrow(/recipient/);
    await expect(mailer.send({ ...message(1), subject: 'a\nb' })).rejects.toThrow(/one line/);
    expect(await listOutbox(dir)).toEqual([]);
  });
});

describe('mailerFromEnv', () => {
  it('prefers the outbox, then SMTP, then SES', () => {
    expect(mailerFromEnv({ MAIL_OUTBOX_DIR: dir, SMTP_URL: 'smtp://localhost:2525' }).constructor.name).toBe(
      'OutboxMailer',
    );
    expect(mailerFromEnv({ SMTP_URL: 'smtp://localhost:2525' }).constructor.name).toBe('SmtpMailer');
    expect(mailerFromEnv({ SENDER_EMAIL: 'noreply@customs.example.cn' }).constructor.name).toBe('SesMailer');
  });

  it('needs a sender address for SES', () => {
    expect(() => mailerFromEnv({})).toThrow(/SENDER_EMAIL/);
  });
});
