import { localDateIn } from '../../../domain/dates.ts';
import { applyEvent, type ApplicationEvent, type ApplicationState } from '../../../domain/lifecycle.ts';
import { applicationDueOn } from '../../../domain/review-duties.ts';
import { isFinalStatus } from '../../../domain/vocabulary.ts';
import type { Needs } from '../../ports/ports.ts';
import { retryOnConflict } from '../../ports/store/errors.ts';
import {
  applicationIndexAttributes,
  applicationPartition,
  dueAttributes,
  keys,
  prefixes,
} from '../../ports/store/keys.ts';
import type { Store, StoredItem, StoreReader } from '../../ports/store/store.ts';
import { ApplicationBusyError, ApplicationNotFoundError } from './errors.ts';
import { evidenceOf, isEvidenceItem, type EvidenceRecord } from './evidence-records.ts';
import { mirrorAttributes, waitTokensOf, type WaitTokens } from './task-tokens.ts';
import { appendEntry, changeEntry, entryOfItem, isTimelineItem, type TimelineEntry } from './timeline.ts';

/**
 * The application item, `APP#<id>` / `APP` (docs/data-model.md): the lifecycle state
 * (domain/lifecycle.ts) with its version, the index attributes (byParent, byStatus), the due pair
 * (sweep), and `lastEvents`, the outbox: the timeline entries of the write that produced this
 * version, one per change it recorded (a write may record several: an evidence submission records
 * each document and the submission at once, and stands for one version per change). The entries
 * are written in the same conditional write as the state, so no change can be lost between two
 * items; they are then appended to the timeline under keys derived from the versions they
 * produced. Before every later write of the state, those the timeline lacks are appended again
 * (a writer reads both in one Query, or re-appends them all), and the read model shows them
 * meanwhile: a crash between the state write and the appends is repaired by whatever touches the
 * application next. A change that loses a version race leaves no trace in the timeline, because
 * nothing is appended before the state write wins. Items written before the outbox carry one
 * entry as `lastEvent`; they read as an outbox of that entry, and the next write replaces it.
 */

export interface ApplicationRecord {
  readonly state: ApplicationState;
  readonly version: number;
  readonly statement: string;
  readonly submittedBy: string;
  readonly executionName?: string;
  /** The outbox: the entries of the write that produced this version (empty: none recorded). */
  readonly lastEvents: readonly TimelineEntry[];
  /** When the workflow finished its last step for this application (see closeOutApplication). */
  readonly closedOutAt?: string;
}

export type ApplicationItem = StoredItem & {
  state: ApplicationState;
  version: number;
  statement: string;
  submittedBy: string;
  executionName?: string;
  lastEvents?: TimelineEntry[];
  /** The outbox of an item written before it held several entries (docs/data-model.md). */
  lastEvent?: TimelineEntry;
  closedOutAt?: string;
};

/** The item's outbox, whichever shape wrote it (the tolerant reader of `lastEvent`). */
const outboxOf = (item: ApplicationItem): readonly TimelineEntry[] =>
  item.lastEvents ?? (item.lastEvent === undefined ? [] : [item.lastEvent]);

/** Version races a writer of the application loses before it reports CONCURRENT_UPDATE. */
const MAX_ATTEMPTS = 5;

export const recordOf = (item: ApplicationItem): ApplicationRecord => ({
  state: item.state,
  version: item.version,
  statement: item.statement,
  submittedBy: item.submittedBy,
  ...(item.executionName === undefined ? {} : { executionName: item.executionName }),
  lastEvents: outboxOf(item),
  ...(item.closedOutAt === undefined ? {} : { closedOutAt: item.closedOutAt }),
});

/** The attributes that follow from the state: its index entries and its due date as of `today`. */
function derivedAttributes(
  state: ApplicationState,
  today: string,
  closedOut: boolean,
): Record<string, unknown> {
  return {
    ...applicationIndexAttributes(state),
    ...dueAttributes(applicationPartition(state.id), applicationDueOn(state, today, closedOut)),
  };
}

export async function loadApplication(
  store: StoreReader,
  applicationId: string,
): Promise<ApplicationRecord | undefined> {
  const item = await store.get<ApplicationItem>(keys.application(applicationId));
  return item ? recordOf(item) : undefined;
}

export async function requireApplication(
  store: StoreReader,
  applicationId: string,
): Promise<ApplicationRecord> {
  const record = await loadApplication(store, applicationId);
  if (!record) throw new ApplicationNotFoundError(applicationId);
  return record;
}

/** Creates the application from its SUBMITTED event. Throws ConflictError(ALREADY_EXISTS) for a taken id. */
export async function createApplication(
  ports: Needs<'store' | 'clock'>,
  input: NewApplication,
): Promise<ApplicationRecord> {
  const { record, appended } = await writeNewApplication(ports, input);
  await appended;
  return record;
}

export interface NewApplication {
  readonly event: Extract<ApplicationEvent, { type: 'SUBMITTED' }>;
  readonly statement: string;
  readonly submittedBy: string;
  readonly actor: string;
}

/**
 * createApplication with the append of its first entry left under way (`appended`), for a caller
 * to await beside its next call that does not change the application (ChangeOptions.deferAppend).
 */
export async function writeNewApplication(
  ports: Needs<'store' | 'clock'>,
  input: NewApplication,
): Promise<{ record: ApplicationRecord; appended: Promise<void> }> {
  const state = applyEvent(undefined, input.event);
  const lastEvents = [changeEntry(state.id, input.event, input.actor, 1)];
  const item = await ports.store.putNew<ApplicationItem>({
    ...keys.application(state.id),
    state,
    version: 1,
    statement: input.statement,
    submittedBy: input.submittedBy,
    lastEvents,
    ...derivedAttributes(state, localDateIn(ports.clock.now()), false),
  } as ApplicationItem);
  return { record: recordOf(item), appended: appendEntries(ports.store, state.id, lastEvents) };
}

/** Appends entries to the timeline, at once (each a no-op when it is there). */
async function appendEntries(
  store: Store,
  applicationId: string,
  entries: readonly TimelineEntry[],
): Promise<void> {
  await Promise.all(entries.map((entry) => appendEntry(store, applicationId, entry)));
}

/** The application with its evidence and the timeline as stored (its outbox not merged in). */
export interface ApplicationWithTimeline {
  readonly record: ApplicationRecord;
  readonly evidence: EvidenceRecord[];
  readonly timeline: TimelineEntry[];
}

/**
 * The application, its evidence and its stored timeline in one consistent Query of its partition
 * (keys.ts `applicationWithTimeline`: no step records or link lists): what a change reads to
 * decide, and to know which entries of the outbox are still to append (repairOutbox).
 */
export async function loadApplicationWithTimeline(
  store: StoreReader,
  applicationId: string,
): Promise<ApplicationWithTimeline | undefined> {
  const items = await store.queryAll({
    partition: applicationPartition(applicationId),
    sortKey: { between: prefixes.applicationWithTimeline(applicationId) },
    consistent: true,
  });
  const app = items.find((item) => item.sk === keys.application(applicationId).sk) as
    ApplicationItem | undefined;
  if (!app) return undefined;
  return {
    record: recordOf(app),
    evidence: items.filter(isEvidenceItem).map(evidenceOf),
    timeline: items.filter(isTimelineItem).map(entryOfItem),
  };
}

export interface ChangeOptions {
  /**
   * The application as the caller last read or wrote it, with its `lastEvents` already on the
   * timeline (see repairOutbox; a record changeApplication returns has them): the first attempt
   * decides on it instead of reading the item again.
   */
  readonly from?: ApplicationRecord;
  /**
   * Leave the append of the new entries to the caller (`ChangeResult.appended`), to await beside
   * its next independent call. Only for a caller whose next steps do not change the application:
   * until the entries land, the next change would overwrite `lastEvents` before they are on the
   * timeline. A crash before they land is repaired like any other (the next change, the read model).
   */
  readonly deferAppend?: boolean;
}

/**
 * Appends the record's outbox to the timeline (each entry a no-op when it is there): what
 * changeApplication does before it overwrites `lastEvents`, done ahead by a caller that passes the
 * record on as `from`, concurrently with calls of its own. With `stored`, the timeline as read in
 * the same Query as the record (loadApplicationWithTimeline), only the entries not in it are
 * written: an entry read there is on the timeline for good.
 */
export async function repairOutbox(
  store: Store,
  applicationId: string,
  record: ApplicationRecord,
  stored?: readonly TimelineEntry[],
): Promise<void> {
  const onTimeline = new Set(stored?.map((entry) => entry.sk));
  await appendEntries(
    store,
    applicationId,
    record.lastEvents.filter((entry) => !onTimeline.has(entry.sk)),
  );
}

export interface ChangeResult {
  readonly record: ApplicationRecord;
  /** False when `decide` found nothing to do. */
  readonly changed: boolean;
  /** With `deferAppend`: the append of the change's entries, under way. */
  readonly appended?: Promise<void>;
  /**
   * The task tokens the application item held as of the write (task-tokens.ts): a wait this change
   * ended is resumed with them, no read after the write needed. Absent when nothing was written.
   */
  readonly waitTokens?: WaitTokens;
}

/** What `decide` answers: one change, several recorded by one write (in order), or none. */
export type Decided = ApplicationEvent | readonly ApplicationEvent[] | null;

const eventsOf = (decided: Decided): readonly ApplicationEvent[] =>
  decided === null
    ? []
    : 'type' in decided
      ? [decided as ApplicationEvent]
      : (decided as readonly ApplicationEvent[]);

/**
 * Applies the events `decide` returns for the current state (null or none: nothing to do), in
 * order, with one conditional write, re-reading and deciding again when another writer got there
 * first. Illegal transitions surface as the domain's IllegalTransitionError, unchanged.
 */
export function changeApplication(
  ports: Needs<'store' | 'clock'>,
  applicationId: string,
  decide: (state: ApplicationState) => Decided,
  actor: string,
  options: ChangeOptions = {},
): Promise<ChangeResult> {
  const { store, clock } = ports;
  // The caller's record serves the first attempt only: a stale one loses the version race and the
  // retry reads afresh, so it saves round trips without deciding on anything but the latest state.
  let known = options.from;
  return retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const record = known ?? (await requireApplication(store, applicationId));
      if (known === undefined) await repairOutbox(store, applicationId, record);
      known = undefined;
      const events = eventsOf(decide(record.state));
      if (events.length === 0) return { record, changed: false };
      const state = events.reduce<ApplicationState>((s, event) => applyEvent(s, event), record.state);
      const lastEvents = events.map((event, i) =>
        changeEntry(applicationId, event, actor, record.version + 1 + i),
      );
      const written = await store.updateVersioned<ApplicationItem>(
        keys.application(applicationId),
        record.version,
        {
          state,
          lastEvents,
          // The outbox's earlier shape goes with the first write of the new one.
          lastEvent: undefined,
          ...derivedAttributes(state, localDateIn(clock.now()), record.closedOutAt !== undefined),
        },
        { versions: events.length },
      );
      const result = { record: recordOf(written), changed: true, waitTokens: waitTokensOf(written) };
      const appended = appendEntries(store, applicationId, lastEvents);
      if (options.deferAppend === true) return { ...result, appended };
      await appended;
      return result;
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
export async function closeOutApplication(
  store: Store,
  applicationId: string,
  at: string,
  from?: ApplicationRecord,
): Promise<void> {
  // As in changeApplication: the caller's record serves the first attempt; a stale one re-reads.
  let known = from;
  await retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const record = known ?? (await requireApplication(store, applicationId));
      known = undefined;
      if (record.closedOutAt !== undefined) return;
      if (!isFinalStatus(record.state.status)) {
        throw new Error(`application ${applicationId} is still ${record.state.status}: nothing to close out`);
      }
      await store.updateVersioned(keys.application(applicationId), record.version, {
        closedOutAt: at,
        ...dueAttributes(applicationPartition(applicationId), null),
        // Nothing waits any more: the mirrored task tokens go (the token items expire on their own).
        ...Object.fromEntries(mirrorAttributes(record.state.parties).map((name) => [name, undefined])),
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
