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
} from '../../ports/store/keys.ts';
import type { Store, StoredItem } from '../../ports/store/store.ts';
import { ApplicationBusyError, ApplicationNotFoundError } from './errors.ts';
import { appendEntry, changeEntry, type TimelineEntry } from './timeline.ts';

/**
 * The application item, `APP#<id>` / `APP` (docs/data-model.md): the lifecycle state
 * (domain/lifecycle.ts) with its version, the index attributes (byParent, byStatus), the due pair
 * (sweep), and `lastEvent`: the timeline entry of the change that produced this version. The entry
 * is written in the same conditional write as the state, so no change can be lost between two
 * items; it is then appended to the timeline under a key derived from the version it produced, and
 * re-appended (a no-op when present) before every later change and by the read model. A crash
 * between the state write and the append is repaired by whatever touches the application next, and
 * a change that loses a version race leaves no trace in the timeline, because nothing is appended
 * before the state write wins.
 */

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

export type ApplicationItem = StoredItem & {
  state: ApplicationState;
  version: number;
  statement: string;
  submittedBy: string;
  executionName?: string;
  lastEvent?: TimelineEntry;
  closedOutAt?: string;
};

/** Version races a writer of the application loses before it reports CONCURRENT_UPDATE. */
const MAX_ATTEMPTS = 5;

export const recordOf = (item: ApplicationItem): ApplicationRecord => ({
  state: item.state,
  version: item.version,
  statement: item.statement,
  submittedBy: item.submittedBy,
  ...(item.executionName === undefined ? {} : { executionName: item.executionName }),
  ...(item.lastEvent === undefined ? {} : { lastEvent: item.lastEvent }),
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
  const lastEvent = changeEntry(state.id, input.event, input.actor, 1);
  const item = await ports.store.putNew<ApplicationItem>({
    ...keys.application(state.id),
    state,
    version: 1,
    statement: input.statement,
    submittedBy: input.submittedBy,
    lastEvent,
    ...derivedAttributes(state, localDateIn(ports.clock.now()), false),
  } as ApplicationItem);
  return { record: recordOf(item), appended: appendEntry(ports.store, state.id, lastEvent) };
}

export interface ChangeOptions {
  /**
   * The application as the caller last read or wrote it, with its `lastEvent` already on the
   * timeline (see repairLastEvent; a record changeApplication returns has it): the first attempt
   * decides on it instead of reading the item again.
   */
  readonly from?: ApplicationRecord;
  /**
   * Leave the append of the new entry to the caller (`ChangeResult.appended`), to await beside its
   * next independent call. Only for a caller whose next steps do not change the application:
   * until the entry lands, the next change would overwrite `lastEvent` before it is on the
   * timeline. A crash before it lands is repaired like any other (the next change, the read model).
   */
  readonly deferAppend?: boolean;
}

/**
 * Appends the record's last change to the timeline (a no-op when it is there): what
 * changeApplication does before it overwrites `lastEvent`, done ahead by a caller that passes the
 * record on as `from`, concurrently with reads of its own.
 */
export async function repairLastEvent(
  store: Store,
  applicationId: string,
  record: ApplicationRecord,
): Promise<void> {
  if (record.lastEvent) await appendEntry(store, applicationId, record.lastEvent);
}

export interface ChangeResult {
  readonly record: ApplicationRecord;
  /** False when `decide` found nothing to do. */
  readonly changed: boolean;
  /** With `deferAppend`: the append of the change's entry, under way. */
  readonly appended?: Promise<void>;
}

/**
 * Applies the event `decide` returns for the current state (null: nothing to do) with one
 * conditional write, re-reading and deciding again when another writer got there first.
 * Illegal transitions surface as the domain's IllegalTransitionError, unchanged.
 */
export function changeApplication(
  ports: Needs<'store' | 'clock'>,
  applicationId: string,
  decide: (state: ApplicationState) => ApplicationEvent | null,
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
      if (known === undefined && record.lastEvent) await appendEntry(store, applicationId, record.lastEvent);
      known = undefined;
      const event = decide(record.state);
      if (event === null) return { record, changed: false };
      const state = applyEvent(record.state, event);
      const lastEvent = changeEntry(applicationId, event, actor, record.version + 1);
      const written = await store.updateVersioned<ApplicationItem>(
        keys.application(applicationId),
        record.version,
        {
          state,
          lastEvent,
          ...derivedAttributes(state, localDateIn(clock.now()), record.closedOutAt !== undefined),
        },
      );
      const appended = appendEntry(store, applicationId, lastEvent);
      if (options.deferAppend === true) return { record: recordOf(written), changed: true, appended };
      await appended;
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
