import { APPLICATION_STATUSES, type ApplicationStatus } from '../../../domain/vocabulary.ts';
import type { ApplicationState } from '../../../domain/lifecycle.ts';
import { InvalidPageTokenError } from '../../ports/store/errors.ts';
import {
  APPLICATIONS_OF_PARENT_PREFIX,
  applicationStatusPartition,
  enterprisePartition,
} from '../../ports/store/keys.ts';
import { decodePageToken, encodePageToken } from '../../ports/store/page-token.ts';
import type { StoredItem, StoreReader } from '../../ports/store/store.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { listEntryOf, type ApplicationListEntry } from './view.ts';

/** The newest-first list of applications (CONTRACT.md `GET /applications`). */

export interface ListApplicationsInput {
  readonly enterpriseId?: string;
  readonly status?: ApplicationStatus;
  readonly nextToken?: string;
  readonly limit: number;
  /** Deadlines are marked overdue against this day. */
  readonly today: LocalDate;
}

export interface ApplicationPage {
  readonly items: ApplicationListEntry[];
  readonly nextToken?: string;
}

type IndexedApplication = StoredItem & { state: ApplicationState; gsi1sk: string; gsi2sk: string };

/**
 * Applications newest first. By enterprise: the byParent index. By status: that status's byStatus
 * partition. Both: the enterprise's applications with the others of the page left out (an
 * enterprise has a handful). Neither: the six status partitions merged, newest first, paged with a
 * cursor on the byStatus sort key (`<submittedAt>#<id>`, unique).
 */
/**
 * Each application once, at its first (newest) entry. The embedded store (dynalite) writes an
 * item's index entries before the item, so a process killed between the two can leave an index
 * entry behind that the item, written again later, no longer matches.
 */
function uniqueById<T extends { readonly id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id));
}

export async function listApplications(
  store: StoreReader,
  input: ListApplicationsInput,
): Promise<ApplicationPage> {
  if (input.enterpriseId !== undefined) {
    const page = await store.queryPage<IndexedApplication>(
      {
        index: 'byParent',
        partition: enterprisePartition(input.enterpriseId),
        sortKey: { beginsWith: APPLICATIONS_OF_PARENT_PREFIX },
        descending: true,
        limit: input.limit,
      },
      input.nextToken,
    );
    const items = uniqueById(page.items.map((item) => listEntryOf(item.state, input.today))).filter(
      (s) => input.status === undefined || s.status === input.status,
    );
    return { items, ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }) };
  }
  if (input.status !== undefined) {
    const page = await store.queryPage<IndexedApplication>(
      {
        index: 'byStatus',
        partition: applicationStatusPartition(input.status),
        descending: true,
        limit: input.limit,
      },
      input.nextToken,
    );
    return {
      items: page.items.map((item) => listEntryOf(item.state, input.today)),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }
  return listAllApplications(store, input.limit, input.nextToken, input.today);
}

function parseBefore(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const value = decodePageToken(token) as { before?: unknown } | null;
  if (!value || typeof value !== 'object' || typeof value.before !== 'string' || value.before.length === 0) {
    throw new InvalidPageTokenError();
  }
  return value.before;
}

async function listAllApplications(
  store: StoreReader,
  limit: number,
  nextToken: string | undefined,
  today: LocalDate,
): Promise<ApplicationPage> {
  const before = parseBefore(nextToken);
  const pages = await Promise.all(
    APPLICATION_STATUSES.map((status) =>
      store.queryPage<IndexedApplication>({
        index: 'byStatus',
        partition: applicationStatusPartition(status),
        ...(before === undefined ? {} : { sortKey: { lessOrEqual: before } }),
        descending: true,
        // One more than a page: the cursor item itself may come back (lessOrEqual).
        limit: limit + 1,
      }),
    ),
  );
  const merged = pages
    .flatMap((page) => page.items)
    .filter((item) => before === undefined || item.gsi2sk < before)
    .sort((a, b) => (a.gsi2sk < b.gsi2sk ? 1 : a.gsi2sk > b.gsi2sk ? -1 : 0));
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  const more = merged.length > limit || pages.some((page) => page.nextToken !== undefined);
  return {
    items: items.map((item) => listEntryOf(item.state, today)),
    ...(more && last ? { nextToken: encodePageToken({ before: last.gsi2sk }) } : {}),
  };
}
