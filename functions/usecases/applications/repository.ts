import { DomainError } from '../../../domain/errors.ts';
import { allDutiesOn, nextApplicationDueOn } from '../../../domain/review-duties.ts';
import { applyEvent } from '../../../domain/lifecycle.ts';
import type { ApplicationEvent, ApplicationState } from '../../../domain/lifecycle.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { isFinalStatus, type DocumentType, type Party } from '../../../domain/vocabulary.ts';
import { today as clockToday } from '../../composition/clock.ts';
import { ConflictError, retryOnConflict } from '../../ports/store/errors.ts';
import {
  applicationIndexAttributes,
  applicationPartition,
  dueAttributes,
  keys,
  prefixes,
  type ItemKey,
} from '../../ports/store/keys.ts';
import { expiresAfter, RETENTION_DAYS } from '../../ports/store/expiry.ts';
import { type Store, type StoredItem } from '../../ports/store/store.ts';

/**
 * The application item and the items around it in its partition (docs/data-model.md).
 *
 * - `APP#<id>` / `APP`: the lifecycle state (domain/lifecycle.ts) with its version, the index
 *   attributes (byParent, byStatus), the due pair (sweep), and `lastEvent`: the timeline entry of
 *   the change that produced this version. The entry is written in the same conditional write as
 *   the state, so no change can be lost between two items; it is then appended to the timeline
 *   under a key derived from the version it produced, and re-appended (a no-op when present) before
 *   every later change and by the read model. A crash between the state write and the append is
 *   repaired by whatever touches the application next, and a change that loses a version race
 *   leaves no trace in the timeline, because nothing is appended before the state write wins.
 * - `EVIDENCE#<evidenceId>`: a requested upload and, once checked, its HeadObject result.
 * - `EVT#<at>#<version>-<type>`: the timeline (append-only).
 * - `STEP#TaskToken.<task>[.<party>]#<round>`: the task token of a waiting callback task. Only the
 *   workflow code reads it; no read model or message carries it.
 */

export type TimelineDetail = Record<string, string | number | boolean | null>;

export interface TimelineEntry {
  readonly at: string;
  readonly type: string;
  readonly actor: string;
  readonly detail?: TimelineDetail;
  /** The sort key of the timeline item. */
  readonly sk: string;
}

export interface ApplicationRecord {
  readonly state: ApplicationState;
  readonly version: number;
  readonly statement: string;
  readonly submittedBy: string;
  readonly executionName?: string;
  readonly lastEvent?: TimelineEntry;
  /** When the workflow finished its last step for this application (see closeOutApplication). */
  readonly closedOutAt?: string;
}

type ApplicationItem = StoredItem & {
  state: ApplicationState;
  version: number;
  statement: string;
  submittedBy: string;
  executionName?: string;
  lastEvent?: TimelineEntry;
  closedOutAt?: string;
};

export const EVIDENCE_STATUSES = ['PENDING_UPLOAD', 'UPLOADED'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export interface EvidenceRecord {
  readonly evidenceId: string;
  readonly documentType: DocumentType;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly s3Key: string;
  readonly status: EvidenceStatus;
  readonly requestedAt: string;
  readonly round: number;
  readonly version: number;
}

/** Another writer kept winning the version race; the caller may answer 409 or retry later. */
export class ApplicationBusyError extends DomainError {
  constructor(applicationId: string) {
    super(
      'CONCURRENT_UPDATE',
      `application ${applicationId} changed under every attempt to update it; retry`,
    );
    this.name = 'ApplicationBusyError';
  }
}

export class ApplicationNotFoundError extends DomainError {
  constructor(applicationId: string) {
    super('NOT_FOUND', `application ${applicationId} does not exist`);
    this.name = 'ApplicationNotFoundError';
  }
}

const MAX_ATTEMPTS = 5;

const recordOf = (item: ApplicationItem): ApplicationRecord => ({
  state: item.state,
  version: item.version,
  statement: item.statement,
  submittedBy: item.submittedBy,
  ...(item.executionName === undefined ? {} : { executionName: item.executionName }),
  ...(item.lastEvent === undefined ? {} : { lastEvent: item.lastEvent }),
  ...(item.closedOutAt === undefined ? {} : { closedOutAt: item.closedOutAt }),
});

/**
 * The date the sweep should look at the application next: today while an expiry or a chase is
 * already due (a sweep that missed a day must still find it), else the next date one falls due.
 */
export function applicationDueOn(
  state: ApplicationState,
  today: LocalDate,
  closedOut = false,
): LocalDate | null {
  // A decided application stays due until its workflow has told everyone (closeOutApplication):
  // if the execution was lost on the way, the sweep restarts it and it fast-forwards to the rest.
  if (isFinalStatus(state.status)) return closedOut ? null : today;
  if (allDutiesOn(state, today).length > 0) return today;
  return nextApplicationDueOn(state, today);
}

function derivedAttributes(
  state: ApplicationState,
  today: LocalDate,
  closedOut: boolean,
): Record<string, unknown> {
  return {
    ...applicationIndexAttributes(state),
    ...dueAttributes(applicationPartition(state.id), applicationDueOn(state, today, closedOut)),
  };
}

function detailOf(event: ApplicationEvent): TimelineDetail | undefined {
  const detail: TimelineDetail = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'type' || name === 'at' || name === 'applicationId' || value === undefined) continue;
    if (Array.isArray(value)) detail[name] = value.join(',');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      detail[name] = value;
    }
  }
  return Object.keys(detail).length === 0 ? undefined : detail;
}

function timelineEntry(
  applicationId: string,
  event: ApplicationEvent,
  actor: string,
  version: number,
): TimelineEntry {
  const { sk } = keys.timeline(applicationId, event.at, `${String(version).padStart(4, '0')}-${event.type}`);
  const detail = detailOf(event);
  return { at: event.at, type: event.type, actor, sk, ...(detail ? { detail } : {}) };
}

async function appendTimeline(store: Store, applicationId: string, entry: TimelineEntry): Promise<void> {
  await store.appendEvent(applicationPartition(applicationId), { ...entry });
}

export async function loadApplication(
  store: Store,
  applicationId: string,
): Promise<ApplicationRecord | undefined> {
  const item = await store.get<ApplicationItem>(keys.application(applicationId));
  return item ? recordOf(item) : undefined;
}

export async function requireApplication(store: Store, applicationId: string): Promise<ApplicationRecord> {
  const record = await loadApplication(store, applicationId);
  if (!record) throw new ApplicationNotFoundError(applicationId);
  return record;
}

/** Creates the application from its SUBMITTED event. Throws ConflictError(ALREADY_EXISTS) for a taken id. */
export async function createApplication(
  store: Store,
  input: {
    readonly event: Extract<ApplicationEvent, { type: 'SUBMITTED' }>;
    readonly statement: string;
    readonly submittedBy: string;
    readonly actor: string;
  },
): Promise<ApplicationRecord> {
  const state = applyEvent(undefined, input.event);
  const lastEvent = timelineEntry(state.id, input.event, input.actor, 1);
  const item = await store.putNew<ApplicationItem>({
    ...keys.application(state.id),
    state,
    version: 1,
    statement: input.statement,
    submittedBy: input.submittedBy,
    lastEvent,
    ...derivedAttributes(state, clockToday(), false),
  } as ApplicationItem);
  await appendTimeline(store, state.id, lastEvent);
  return recordOf(item);
}

export interface ChangeResult {
  readonly record: ApplicationRecord;
  /** False when `decide` found nothing to do. */
  readonly changed: boolean;
}

/**
 * Applies the event `decide` returns for the current state (null: nothing to do) with one
 * conditional write, re-reading and deciding again when another writer got there first.
 * Illegal transitions surface as the domain's IllegalTransitionError, unchanged.
 */
export async function changeApplication(
  store: Store,
  applicationId: string,
  decide: (state: ApplicationState) => ApplicationEvent | null,
  actor: string,
): Promise<ChangeResult> {
  return retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const record = await requireApplication(store, applicationId);
      if (record.lastEvent) await appendTimeline(store, applicationId, record.lastEvent);
      const event = decide(record.state);
      if (event === null) return { record, changed: false };
      const state = applyEvent(record.state, event);
      const lastEvent = timelineEntry(applicationId, event, actor, record.version + 1);
      const written = await store.updateVersioned<ApplicationItem>(
        keys.application(applicationId),
        record.version,
        {
          state,
          lastEvent,
          ...derivedAttributes(state, clockToday(), record.closedOutAt !== undefined),
        },
      );
      await appendTimeline(store, applicationId, lastEvent);
      return { record: recordOf(written), changed: true };
    },
    () => new ApplicationBusyError(applicationId),
  );
}

/**
 * Marks that the workflow has done everything it owes a decided application (the outcome told,
 * the listing change published) and takes it out of the sweep's due index. Until then a final
 * application stays due, so an execution lost between the decision and the last email is
 * restarted rather than forgotten.
 */
export async function closeOutApplication(store: Store, applicationId: string, at: string): Promise<void> {
  await retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const record = await requireApplication(store, applicationId);
      if (record.closedOutAt !== undefined) return;
      if (!isFinalStatus(record.state.status)) {
        throw new Error(`application ${applicationId} is still ${record.state.status}: nothing to close out`);
      }
      await store.updateVersioned(keys.application(applicationId), record.version, {
        closedOutAt: at,
        ...dueAttributes(applicationPartition(applicationId), null),
      });
    },
    () => new ApplicationBusyError(applicationId),
  );
}

/** Records which execution runs the application (for withdrawal and the sweep's restarts). */
export async function setExecutionName(
  store: Store,
  applicationId: string,
  executionName: string,
): Promise<void> {
  await retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const record = await requireApplication(store, applicationId);
      if (record.executionName === executionName) return;
      await store.updateVersioned(keys.application(applicationId), record.version, { executionName });
    },
    () => new ApplicationBusyError(applicationId),
  );
}

// ---------------------------------------------------------------------------------------------
// evidence

type EvidenceItem = StoredItem & Omit<EvidenceRecord, 'version'> & { version: number };

const evidenceOf = (item: EvidenceItem): EvidenceRecord => ({
  evidenceId: item.evidenceId,
  documentType: item.documentType,
  fileName: item.fileName,
  contentType: item.contentType,
  size: item.size,
  s3Key: item.s3Key,
  status: item.status,
  requestedAt: item.requestedAt,
  round: item.round,
  version: item.version,
});

export async function putEvidence(
  store: Store,
  applicationId: string,
  evidence: Omit<EvidenceRecord, 'version' | 'status'>,
): Promise<EvidenceRecord> {
  const item = await store.putNew<EvidenceItem>({
    ...keys.evidence(applicationId, evidence.evidenceId),
    ...evidence,
    status: 'PENDING_UPLOAD',
  } as EvidenceItem);
  return evidenceOf(item);
}

export async function listEvidence(store: Store, applicationId: string): Promise<EvidenceRecord[]> {
  const items = await store.queryAll<EvidenceItem>({
    partition: applicationPartition(applicationId),
    sortKey: { beginsWith: prefixes.evidence() },
    consistent: true,
  });
  return items.map(evidenceOf);
}

/** Marks an upload as checked present; a no-op when it already is. */
export async function markEvidenceUploaded(
  store: Store,
  applicationId: string,
  evidence: EvidenceRecord,
): Promise<void> {
  if (evidence.status === 'UPLOADED') return;
  try {
    await store.updateVersioned(keys.evidence(applicationId, evidence.evidenceId), evidence.version, {
      status: 'UPLOADED',
    });
  } catch (error) {
    // Someone else marked it first; the mark carries no decision, so theirs is as good.
    if (!(error instanceof ConflictError && error.kind === 'VERSION_MISMATCH')) throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// task tokens

export type TokenSlot =
  { readonly task: 'AwaitEvidence' } | { readonly task: 'OpenReview'; readonly party: Party };

const tokenKey = (applicationId: string, slot: TokenSlot, round: number): ItemKey =>
  keys.step(
    applicationId,
    slot.task === 'OpenReview' ? `TaskToken.OpenReview.${slot.party}` : 'TaskToken.AwaitEvidence',
    round,
  );

type TokenItem = StoredItem & { taskToken: string; storedAt: string; version: number };

/**
 * Keeps the task token of the newest invocation of a callback task: a restarted execution's
 * token replaces the one its predecessor held.
 */
export async function storeTaskToken(
  store: Store,
  applicationId: string,
  slot: TokenSlot,
  round: number,
  taskToken: string,
  storedAt: string,
): Promise<void> {
  const key = tokenKey(applicationId, slot, round);
  await retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const existing = await store.get<TokenItem>(key);
      const expiry = expiresAfter(storedAt, RETENTION_DAYS.taskToken);
      if (!existing) await store.putNew({ ...key, taskToken, storedAt, ...expiry });
      else if (existing.taskToken !== taskToken) {
        await store.updateVersioned(key, existing.version, { taskToken, storedAt, ...expiry });
      }
    },
    () => new ApplicationBusyError(applicationId),
  );
}

export async function readTaskToken(
  store: Store,
  applicationId: string,
  slot: TokenSlot,
  round: number,
): Promise<string | undefined> {
  const item = await store.get<TokenItem>(tokenKey(applicationId, slot, round));
  return item?.taskToken;
}

// ---------------------------------------------------------------------------------------------
// the partition, for the read model

export interface ApplicationPartition {
  readonly record: ApplicationRecord;
  readonly evidence: EvidenceRecord[];
  readonly timeline: TimelineEntry[];
}

/** The application, its evidence and its timeline in one Query of its partition. */
export async function loadApplicationPartition(
  store: Store,
  applicationId: string,
): Promise<ApplicationPartition | undefined> {
  const items = await store.queryAll({ partition: applicationPartition(applicationId), consistent: true });
  const app = items.find((item) => item.sk === keys.application(applicationId).sk) as
    ApplicationItem | undefined;
  if (!app) return undefined;
  const evidence = items
    .filter((item) => item.sk.startsWith(prefixes.evidence()))
    .map((item) => evidenceOf(item as EvidenceItem));
  const timeline = items
    .filter((item) => item.sk.startsWith(prefixes.events()))
    .map((item) => timelineOfItem(item));
  const record = recordOf(app);
  // The last change's entry may not be appended yet (a crash right after the state write).
  if (record.lastEvent && !timeline.some((entry) => entry.sk === record.lastEvent?.sk)) {
    timeline.push(record.lastEvent);
    timeline.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  }
  return { record, evidence, timeline };
}

function timelineOfItem(item: StoredItem): TimelineEntry {
  const detail = item.detail as TimelineDetail | undefined;
  return {
    at: String(item.at),
    type: String(item.type),
    actor: String(item.actor),
    sk: item.sk,
    ...(detail ? { detail } : {}),
  };
}
