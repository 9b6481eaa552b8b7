import { createHash } from 'node:crypto';
import type { Party } from '../../../domain/vocabulary.ts';

/**
 * The one place table keys are spelled. Repositories and handlers build keys only through these
 * functions, so a prefix never appears twice in the code base. docs/data-model.md lists the access
 * patterns they serve.
 */

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * Rounds and other small counters are zero-padded so that the lexical order of sort keys is their
 * numeric order (round 10 after round 9) and a prefix of one round never matches another.
 */
const pad = (n: number, width = 3): string => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a non-negative integer: ${n}`);
  return String(n).padStart(width, '0');
};

const enterprisePk = (enterpriseId: string): string => `ENT#${enterpriseId}`;
const applicationPk = (applicationId: string): string => `APP#${applicationId}`;
/** A party's directory history (its changes and audit events); the reviewer itself stays in DIRECTORY. */
const directoryPartyPk = (party: Party): string => `DIRECTORY#${party}`;

export const SK_PREFIX = {
  fact: 'FACT#',
  event: 'EVT#',
  evidence: 'EVIDENCE#',
  step: 'STEP#',
  party: 'PARTY#',
  duty: 'DUTY#',
  change: 'CHANGE#',
  links: 'LINKS#',
} as const;

export const keys = {
  enterprise: (enterpriseId: string): ItemKey => ({ pk: enterprisePk(enterpriseId), sk: 'PROFILE' }),
  fact: (enterpriseId: string, recordId: string): ItemKey => ({
    pk: enterprisePk(enterpriseId),
    sk: `${SK_PREFIX.fact}${recordId}`,
  }),
  /** `at` is an ISO instant so that an enterprise's events sort by time; `eventKey` makes it unique and deterministic. */
  enterpriseEvent: (enterpriseId: string, at: string, eventKey: string): ItemKey => ({
    pk: enterprisePk(enterpriseId),
    sk: `${SK_PREFIX.event}${at}#${eventKey}`,
  }),

  application: (applicationId: string): ItemKey => ({ pk: applicationPk(applicationId), sk: 'APP' }),
  evidence: (applicationId: string, evidenceId: string): ItemKey => ({
    pk: applicationPk(applicationId),
    sk: `${SK_PREFIX.evidence}${evidenceId}`,
  }),
  step: (applicationId: string, step: string, round: number): ItemKey => ({
    pk: applicationPk(applicationId),
    sk: `${SK_PREFIX.step}${step}#${pad(round)}`,
  }),
  timeline: (applicationId: string, at: string, eventKey: string): ItemKey => ({
    pk: applicationPk(applicationId),
    sk: `${SK_PREFIX.event}${at}#${eventKey}`,
  }),

  /** A review link is found by the hash of its id (functions/usecases/reviews/link-ids.ts); the id itself is never stored. */
  reviewLink: (linkIdHash: string): ItemKey => ({ pk: `LINK#${linkIdHash}`, sk: 'LINK' }),
  /** The hashes of every link issued for a party's review of a round, so a newer one can supersede them. */
  issuedLinks: (applicationId: string, party: Party, round: number): ItemKey => ({
    pk: applicationPk(applicationId),
    sk: `${SK_PREFIX.links}${party}#${pad(round)}`,
  }),
  reviewer: (party: Party): ItemKey => ({ pk: 'DIRECTORY', sk: `${SK_PREFIX.party}${party}` }),
  /** A proposed replacement of a party's reviewer (four-eyes: proposed by one officer, confirmed by another). */
  reviewerChange: (party: Party, changeId: string): ItemKey => ({
    pk: directoryPartyPk(party),
    sk: `${SK_PREFIX.change}${changeId}`,
  }),
  /** The audit timeline of a party's directory entry; `eventKey` as for the other timelines. */
  directoryEvent: (party: Party, at: string, eventKey: string): ItemKey => ({
    pk: directoryPartyPk(party),
    sk: `${SK_PREFIX.event}${at}#${eventKey}`,
  }),

  /** The record that a data migration ran on this table (name: what it did). */
  migration: (name: string): ItemKey => ({ pk: 'MIGRATION', sk: name }),

  /**
   * The record that a sweep duty was done for an item on a day: it lives in the item's own partition
   * (read with the item, gone with it) and its key is deterministic, so writing it with
   * attribute_not_exists is what makes a duty happen once however often the sweep runs.
   */
  sweepDuty: (item: ItemKey, duty: string, on: string): ItemKey => ({
    pk: item.pk,
    sk: `${SK_PREFIX.duty}${duty}#${on}#${item.sk}`,
  }),
} as const;

/**
 * The event keys of timeline items (`EVT#<at>#<event key>`): derived from what happened, never
 * from the time of a retry, so a retried write stores its event once. Each timeline keeps the
 * separator its keys were first written with: stored keys never change.
 */
export const eventKeys = {
  /** The change of an application that produced `version` (sorts by version within an instant). */
  applicationChange: (version: number, type: string): string => `${pad(version, 4)}-${type}`,
  /** A sweep duty done for an application (a review reminder or escalation). */
  applicationSweepDuty: (dutyKey: string): string => `SWEEP-${dutyKey}`,
  /** A fact record that moved an enterprise's tier. */
  factRecord: (kind: string, factId: string): string => `${kind}#${factId}`,
  /** A sweep duty done for an enterprise (a determination, a listing change, a notice). */
  enterpriseSweepDuty: (dutyKey: string): string => `SWEEP#${dutyKey}`,
  /** A step of a reviewer change (PROPOSED, CONFIRMED, SET). */
  reviewerChange: (changeId: string, step: string): string => `${changeId}#${step}`,
} as const;

/** Sort-key prefixes for queries within one partition. */
export const prefixes = {
  facts: (): string => SK_PREFIX.fact,
  events: (): string => SK_PREFIX.event,
  evidence: (): string => SK_PREFIX.evidence,
  steps: (): string => SK_PREFIX.step,
  reviewers: (): string => SK_PREFIX.party,
  reviewerChanges: (): string => SK_PREFIX.change,
  /**
   * An application's item with what a change of it reads beside it, in one range of its partition:
   * `APP` sorts before its duty claims (`DUTY#`), evidence (`EVIDENCE#`) and timeline (`EVT#`), and
   * the range ends before its link lists and step records (`LINKS#`, `STEP#`: memos and intents can
   * be large, and no change reads them).
   */
  applicationWithTimeline: (applicationId: string): readonly [string, string] => [
    keys.application(applicationId).sk,
    `${SK_PREFIX.event}\uffff`,
  ],
} as const;

export const DIRECTORY_PK = 'DIRECTORY';
export const directoryPartyPartition = directoryPartyPk;
export const enterprisePartition = enterprisePk;
export const applicationPartition = applicationPk;

/**
 * Secondary-index attributes of an application item (schema.ts): byParent lists an enterprise's
 * applications newest first, byStatus the applications in one status newest first. A status change
 * rewrites gsi2pk in the same versioned update. `submittedAt` is an ISO instant, so the lexical
 * order of gsi1sk/gsi2sk is the time order and the id breaks ties.
 */
export function applicationIndexAttributes(app: {
  readonly id: string;
  readonly enterpriseId: string;
  readonly status: string;
  readonly submittedAt: string;
}): { gsi1pk: string; gsi1sk: string; gsi2pk: string; gsi2sk: string } {
  return {
    gsi1pk: enterprisePk(app.enterpriseId),
    gsi1sk: `APP#${app.submittedAt}#${app.id}`,
    gsi2pk: applicationStatusPartition(app.status),
    gsi2sk: `${app.submittedAt}#${app.id}`,
  };
}

export const applicationStatusPartition = (status: string): string => `APPSTATUS#${status}`;

/**
 * The byStatus index also lists enterprise profiles by credit tier, so officers find listed
 * enterprises by tier and any enterprise by the start of its name without a Scan. Every writer of a
 * profile (registration, updateProfile, the sweep's due update) spreads these attributes into its
 * write, computed from the tier the write leaves. They are an index entry, never read as the truth:
 * the tier is always classified from the facts.
 */
export function enterpriseIndexAttributes(profile: {
  readonly id: string;
  readonly name: string;
  readonly tier: string;
}): { gsi2pk: string; gsi2sk: string } {
  return {
    gsi2pk: enterpriseTierPartition(profile.tier),
    gsi2sk: `${searchableName(profile.name)}#${profile.id}`,
  };
}

export const enterpriseTierPartition = (tier: string): string => `ENTTIER#${tier}`;

/**
 * A name as the index sorts and matches it: NFKC (full-width letters and digits become ASCII),
 * lower case, runs of white space as one space. A search term is normalized the same way and
 * matched as a prefix.
 */
export const searchableName = (name: string): string =>
  name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
/** The byParent sort-key prefix of an enterprise's applications. */
export const APPLICATIONS_OF_PARENT_PREFIX = 'APP#';

/**
 * The due index is sharded so that a busy sweep day does not concentrate every write and read on one
 * partition. The shard follows from the item's pk, so every item of one partition lands in the
 * same shard and setting or clearing a due date never moves an item between shards.
 */
export const DUE_SHARDS = 4;

export function dueShardOf(pk: string): number {
  const digest = createHash('sha256').update(pk).digest();
  return digest.readUInt32BE(0) % DUE_SHARDS;
}

export const duePartition = (shard: number): string => `DUE#${shard}`;

/**
 * The due-index attributes of the item with pk `pk` (docs/data-model.md, the sparse due index):
 * spread them into a putNew item or a versioned change so the due date moves in the same write as
 * the state it follows from. `null` yields undefined values, which an update turns into REMOVE.
 */
export function dueAttributes(
  pk: string,
  dueOn: string | null,
): { duePk: string; dueOn: string } | { duePk: undefined; dueOn: undefined } {
  if (dueOn === null) return { duePk: undefined, dueOn: undefined };
  assertLocalDate(dueOn);
  return { duePk: duePartition(dueShardOf(pk)), dueOn };
}

export function assertLocalDate(value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError(`not a LocalDate (YYYY-MM-DD): ${value}`);
}
