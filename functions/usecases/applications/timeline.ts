import type { ApplicationEvent } from '../../../domain/lifecycle.ts';
import { Party } from '../../../domain/vocabulary.ts';
import { applicationPartition, eventKeys, keys, prefixes } from '../../ports/store/keys.ts';
import type { Store, StoredItem, StoreReader } from '../../ports/store/store.ts';

/**
 * An application's timeline: append-only audit entries in its partition (`EVT#<at>#<event key>`),
 * one per change of its state (with the key of the version the change produced) and one per sweep
 * duty done for it (a reminder, an escalation). The read model lists them; no decision reads them
 * back: the state on the application item is the truth.
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

/** An event's members as the timeline shows them: lists joined, nothing but plain values. */
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

/** The entry of the change that produced `version` of the application. */
export function changeEntry(
  applicationId: string,
  event: ApplicationEvent,
  actor: string,
  version: number,
): TimelineEntry {
  const { sk } = keys.timeline(applicationId, event.at, eventKeys.applicationChange(version, event.type));
  const detail = detailOf(event);
  return { at: event.at, type: event.type, actor, sk, ...(detail ? { detail } : {}) };
}

/** Appends an entry; a no-op when it is there already (a retried step, a repaired crash). */
export async function appendEntry(store: Store, applicationId: string, entry: TimelineEntry): Promise<void> {
  await store.appendEvent(applicationPartition(applicationId), { ...entry });
}

/** The entry of a sweep duty done for the application, stamped with its claim's first instant. */
export const sweepDutyEntry = (
  applicationId: string,
  input: { at: string; dutyKey: string; type: string; detail: TimelineDetail },
): TimelineEntry => ({
  at: input.at,
  type: input.type,
  actor: 'sweep',
  detail: input.detail,
  sk: keys.timeline(applicationId, input.at, eventKeys.applicationSweepDuty(input.dutyKey)).sk,
});

/** A stored timeline item as an entry, naming each field (nothing else of the item leaks). */
export function entryOfItem(item: StoredItem): TimelineEntry {
  const detail = item.detail as TimelineDetail | undefined;
  return {
    at: String(item.at),
    type: String(item.type),
    actor: String(item.actor),
    sk: item.sk,
    ...(detail ? { detail } : {}),
  };
}

export const isTimelineItem = (item: StoredItem): boolean => item.sk.startsWith(prefixes.events());

/** The application's timeline, oldest first (one consistent Query of its entries). */
export async function readTimeline(store: StoreReader, applicationId: string): Promise<TimelineEntry[]> {
  const items = await store.queryAll({
    partition: applicationPartition(applicationId),
    sortKey: { beginsWith: prefixes.events() },
    consistent: true,
  });
  return items.map(entryOfItem);
}

/**
 * The change requests of `round` as its REVIEW_DECIDED entries recorded them: for applications
 * stored before revision 2, whose state keeps no earlier rounds (the state's `earlierRounds` is
 * the record for every later one).
 */
export function changeRequestsInTimeline(
  timeline: readonly TimelineEntry[],
  round: number,
): { party: Party; comment: string }[] {
  return timeline.flatMap((entry) => {
    const detail = entry.detail;
    const party = Party.safeParse(detail?.party);
    return entry.type === 'REVIEW_DECIDED' &&
      detail?.round === round &&
      detail.decision === 'REQUEST_CHANGES' &&
      typeof detail.comment === 'string' &&
      party.success
      ? [{ party: party.data, comment: detail.comment }]
      : [];
  });
}
