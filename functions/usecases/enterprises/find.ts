import { classify } from '../../../domain/classification.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { TIERS, type Tier } from '../../../domain/tiers.ts';
import { InvalidPageTokenError } from '../../ports/store/errors.ts';
import { enterpriseTierPartition, searchableName } from '../../ports/store/keys.ts';
import { decodePageToken, encodePageToken } from '../../ports/store/page-token.ts';
import type { StoreReader } from '../../ports/store/store.ts';
import { loadEnterprise, type EnterpriseProfile } from './records.ts';

/**
 * Finding enterprises (GET /enterprises): by tier, by the start of the name, or both, ordered by
 * name, from the tier entries of the byStatus index (keys.enterpriseIndexAttributes); never a Scan.
 *
 * Each tier is one index partition; a search without a tier merges the five partitions, each
 * already in name order, with a cursor on the index sort key (`<name>#<id>`, unique).
 *
 * The entry holds the tier as of the profile's last write or sweep. A tier moves by time alone only
 * on a day the profile is due (its due date is the next day time changes something), so an entry
 * whose profile is due today or earlier is classified again here: it shows its tier as of today,
 * and a tier search leaves it out when it no longer has that tier (the day's sweep moves the entry).
 */

export interface FindEnterprisesInput {
  readonly tier?: Tier;
  /** Matched as a prefix of the normalized name (keys.searchableName). */
  readonly name?: string;
  readonly limit: number;
  readonly nextToken?: string;
}

export interface EnterpriseSummary {
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
}

export interface EnterprisePage {
  readonly items: EnterpriseSummary[];
  readonly nextToken?: string;
}

type IndexedProfile = EnterpriseProfile & { gsi2sk: string };

/** Past every character a name can hold: the upper end of a prefix range. */
const PREFIX_END = '\u{10FFFF}';

function parseAfter(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const value = decodePageToken(token) as { after?: unknown } | null;
  if (!value || typeof value !== 'object' || typeof value.after !== 'string' || value.after.length === 0) {
    throw new InvalidPageTokenError();
  }
  return value.after;
}

export async function findEnterprises(
  store: StoreReader,
  input: FindEnterprisesInput,
  today: LocalDate,
): Promise<EnterprisePage> {
  const after = parseAfter(input.nextToken);
  const prefix = input.name === undefined ? '' : searchableName(input.name);
  const from = after !== undefined && after > prefix ? after : prefix;
  const to = `${prefix}${PREFIX_END}`;
  if (from >= to) return { items: [] };
  const tiers = input.tier === undefined ? TIERS : [input.tier];
  const pages = await Promise.all(
    tiers.map((tier) =>
      store.queryPage<IndexedProfile>({
        index: 'byStatus',
        partition: enterpriseTierPartition(tier),
        sortKey: { between: [from, to] },
        // One more than a page: the cursor entry itself comes back (between is inclusive).
        limit: input.limit + 1,
      }),
    ),
  );
  const merged = pages
    .flatMap((page, i) => page.items.map((item) => ({ item, tier: tiers[i] as Tier })))
    .filter(({ item }) => after === undefined || item.gsi2sk > after)
    .sort((a, b) => (a.item.gsi2sk < b.item.gsi2sk ? -1 : a.item.gsi2sk > b.item.gsi2sk ? 1 : 0));
  const entries = merged.slice(0, input.limit);
  const more = merged.length > input.limit || pages.some((page) => page.nextToken !== undefined);
  const last = entries[entries.length - 1];
  const items: EnterpriseSummary[] = [];
  for (const { item, tier } of entries) {
    const current = await currentTier(store, item, tier, today);
    if (input.tier !== undefined && current !== input.tier) continue;
    items.push({ id: item.id, name: item.name, tier: current });
  }
  return { items, ...(more && last ? { nextToken: encodePageToken({ after: last.item.gsi2sk }) } : {}) };
}

/** The entry's tier, or, when time may have moved it since the entry was written, today's. */
async function currentTier(
  store: StoreReader,
  item: IndexedProfile,
  indexed: Tier,
  today: LocalDate,
): Promise<Tier> {
  if (item.dueOn === undefined || item.dueOn > today) return indexed;
  const loaded = await loadEnterprise(store, item.id);
  return loaded === null ? indexed : classify(loaded.input, today).tier;
}
