/**
 * EventBridge PutEvents for the embedded runtime, over its wire protocol (AWS JSON 1.1,
 * `X-Amz-Target: AWSEvents.PutEvents`), so handlers use @aws-sdk/client-eventbridge unchanged,
 * pointed here by `AWS_ENDPOINT_URL_EVENTBRIDGE`. Each accepted entry becomes one JSON line in
 * the data folder's `events.jsonl`: what the other agencies would have received.
 *
 * Entries are validated as EventBridge does: a bad entry fails alone (ErrorCode in its result
 * slot, FailedEntryCount counts it) while the others are accepted.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AwsJsonServer, AwsServiceError } from './aws-json-server.ts';
import type { ListenOptions } from './aws-json-server.ts';

export interface PutEventsEntry {
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly EventBusName?: unknown;
  readonly Resources?: unknown;
  readonly Time?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

/** One line of events.jsonl. */
export interface RecordedEvent {
  readonly id: string;
  readonly time: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly resources: string[];
  readonly detail: unknown;
}

export interface LocalEventBridgeOptions {
  /** The JSON-lines file events are appended to (created with its folder). */
  readonly file: string;
  /** Time of entries that carry none; the runtime passes its simulated clock. */
  readonly now?: () => Date;
}

const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;

class EntryRejected extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new EntryRejected(
      'InvalidArgument',
      `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
    );
  }
  return value;
}

/** Epoch seconds from the SDK, or an ISO string when called directly. */
function timeOf(value: unknown, now: () => Date): string {
  if (value === undefined || value === null) return now().toISOString();
  const date =
    typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new EntryRejected('InvalidArgument', 'Parameter Time is not valid.');
  }
  return date.toISOString();
}

function detailOf(value: unknown): unknown {
  const text = requiredText(value, 'Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(text);
  } catch {
    throw new EntryRejected('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    throw new EntryRejected('MalformedDetail', 'Detail is malformed.');
  }
  return detail;
}

function resourcesOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new EntryRejected('InvalidArgument', 'Parameter Resources is not valid.');
  }
  return value;
}

function busNameOf(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'default';
  if (typeof value !== 'string')
    throw new EntryRejected('InvalidArgument', 'Parameter EventBusName is not valid.');
  // An ARN names the bus by its last segment, as EventBridge accepts either.
  return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
}

export class LocalEventBridge {
  readonly #file: string;
  readonly #now: () => Date;
  readonly #server: AwsJsonServer;
  /** Appends run one after another, so lines never interleave and order follows acceptance. */
  #writes: Promise<void> = Promise.resolve();

  constructor(options: LocalEventBridgeOptions) {
    this.#file = options.file;
    this.#now = options.now ?? (() => new Date());
    this.#server = new AwsJsonServer({
      targetPrefix: 'AWSEvents',
      protocolVersion: '1.1',
      operations: { PutEvents: (body) => this.putEvents(body['Entries']) },
    });
  }

  async start(options: ListenOptions = {}): Promise<string> {
    await mkdir(dirname(this.#file), { recursive: true });
    return this.#server.start(options);
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  /** Accepts up to 10 entries; resolves once the accepted ones are in the file. */
  async putEvents(entries: unknown): Promise<PutEventsResult> {
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new AwsServiceError('ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} entries`);
    }
    const results: PutEventsResultEntry[] = [];
    const lines: string[] = [];
    for (const entry of entries as PutEventsEntry[]) {
      try {
        const event = this.#eventOf(entry);
        const line = JSON.stringify(event);
        if (Buffer.byteLength(line) > MAX_ENTRY_BYTES) {
          throw new EntryRejected(
            'InvalidArgument',
            'Total size of the entries in the request is over the limit.',
          );
        }
        lines.push(`${line}\n`);
        results.push({ EventId: event.id });
      } catch (error) {
        if (!(error instanceof EntryRejected)) throw error;
        results.push({ ErrorCode: error.code, ErrorMessage: error.message });
      }
    }
    if (lines.length > 0) await this.#append(lines.join(''));
    return { FailedEntryCount: entries.length - lines.length, Entries: results };
  }

  /** Every recorded event, oldest first. */
  async readEvents(): Promise<RecordedEvent[]> {
    await this.#writes;
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as RecordedEvent);
  }

  #eventOf(entry: PutEventsEntry): RecordedEvent {
    if (entry === null || typeof entry !== 'object') {
      throw new EntryRejected('InvalidArgument', 'Entry is not valid.');
    }
    return {
      id: randomUUID(),
      time: timeOf(entry.Time, this.#now),
      eventBusName: busNameOf(entry.EventBusName),
      source: requiredText(entry.Source, 'Source'),
      detailType: requiredText(entry.DetailType, 'DetailType'),
      resources: resourcesOf(entry.Resources),
      detail: detailOf(entry.Detail),
    };
  }

  #append(text: string): Promise<void> {
    const write = this.#writes
      .then(() => mkdir(dirname(this.#file), { recursive: true }))
      .then(() => appendFile(this.#file, text, 'utf8'));
    // A failed write fails its own request; the chain continues for the next one.
    this.#writes = write.catch(() => undefined);
    return write;
  }
}
