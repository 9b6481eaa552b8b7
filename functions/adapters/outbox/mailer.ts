import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { array, object, regex, string, schema } from '../../../domain/zod.ts';
import type { Clock } from '../../ports/clock.ts';
import { assertSendable, type Mailer, type MailMessage, type SentMail } from '../../ports/mailer.ts';

/**
 * The outbox adapter: every message becomes an RFC 5322 `.eml` file (open it in any mail client)
 * plus a JSON sidecar the dev inbox and tests read. Nothing leaves the machine.
 */

export interface OutboxEntry {
  readonly id: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Every http(s) URL in the message, in order. */
  readonly links: string[];
  /** ISO instant from the clock port (the simulated time in the embedded runtime). */
  readonly sentAt: string;
}

/** The id of an outbox message: its file names are `<id>.eml` and `<id>.json`. */
const OUTBOX_ID = /^[0-9TZ]+-\d{6}-[0-9a-f]{8}$/;

/** A sidecar as this adapter writes it; anything else in the folder is not a message. */
const OutboxEntrySchema = /* @__PURE__ */ schema(() =>
  object({
    id: string().check(regex(OUTBOX_ID)),
    to: array(string()),
    subject: string(),
    text: string(),
    html: string(),
    links: array(string()),
    sentAt: string(),
  }),
);

// Orders messages written within the same millisecond by this process.
let sequence = 0;

function newEntryId(sentAt: string): string {
  sequence = (sequence + 1) % 1_000_000;
  const stamp = sentAt.replace(/[-:.]/g, '');
  return `${stamp}-${String(sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
}

function linksOf(message: MailMessage): string[] {
  const fromHtml = extractLinks(message.html.replace(/&amp;/g, '&'));
  return [...new Set([...extractLinks(message.text), ...fromHtml])];
}

export class OutboxMailer implements Mailer {
  private readonly dir: string;
  private readonly from: string;
  private readonly clock: Clock;

  constructor(options: { readonly dir: string; readonly from: string; readonly clock: Clock }) {
    this.dir = options.dir;
    this.from = options.from;
    this.clock = options.clock;
  }

  async send(message: MailMessage): Promise<SentMail> {
    assertSendable(message);
    const sentAt = this.clock.now().toISOString();
    const id = newEntryId(sentAt);
    const messageId = `<${id}@outbox.credit-repair>`;
    // Loaded on first use: the Lambda bundles, which mail through SES, leave nodemailer out.
    const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
    const eml = await new MailComposer({
      from: this.from,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      date: new Date(sentAt),
      messageId,
      headers: Object.fromEntries(Object.entries(message.tags ?? {}).map(([k, v]) => [`X-Tag-${k}`, v])),
    })
      .compile()
      .build();
    const entry: OutboxEntry = {
      id,
      to: [...message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
      links: linksOf(message),
      sentAt,
    };
    await mkdir(this.dir, { recursive: true });
    // The sidecar is written last and both by rename, so a reader never sees a half message.
    await writeAtomically(join(this.dir, `${id}.eml`), eml);
    await writeAtomically(join(this.dir, `${id}.json`), JSON.stringify(entry, null, 2));
    return { messageId: id };
  }
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/**
 * Every message in an outbox folder, oldest first. A missing folder is an empty outbox. Only this
 * adapter's own files are read: regular files named `<id>.json` whose content is a sidecar of that
 * id. Anything else that lands in the folder (a link, a foreign or broken file) is passed over, so
 * it can neither break the inbox nor be shown through it.
 */
export async function listOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const read = async (name: string): Promise<OutboxEntry | undefined> => {
    const id = name.slice(0, -'.json'.length);
    if (!name.endsWith('.json') || !OUTBOX_ID.test(id)) return undefined;
    const path = join(dir, name);
    try {
      if (!(await lstat(path)).isFile()) return undefined;
      const parsed = OutboxEntrySchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      return parsed.success && parsed.data.id === id ? parsed.data : undefined;
    } catch {
      // Removed meanwhile, unreadable or not JSON: not one of ours.
      return undefined;
    }
  };
  const entries = (await Promise.all(names.map(read))).filter((e): e is OutboxEntry => e !== undefined);
  return entries.sort((a, b) => (a.sentAt === b.sentAt ? cmp(a.id, b.id) : cmp(a.sentAt, b.sentAt)));
}

/** The raw RFC 5322 text of one message, or undefined for an unknown id. */
export async function readOutboxEml(dir: string, id: string): Promise<string | undefined> {
  if (!OUTBOX_ID.test(id)) return undefined;
  try {
    return await readFile(join(dir, `${id}.eml`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every http(s) URL in a text, in order of first appearance, without trailing punctuation. */
export function extractLinks(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'`]+/g) ?? [];
  const cleaned = found.map((url) => url.replace(/[.,;:!?)\]}。，；：！？）]+$/u, ''));
  return [...new Set(cleaned)];
}
