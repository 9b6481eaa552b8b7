import type { ClassificationInput, RecordedClosure, RegisteredTier } from '../../../domain/classification.ts';
import { classify, closuresOfRestorations, nextTimeEvent } from '../../../domain/classification.ts';
import { minDate, type LocalDate } from '../../../domain/dates.ts';
import { foldFacts, FactRecord } from '../../../domain/facts.ts';
import type { Fact } from '../../../domain/facts.ts';
import type { ClosureKind } from '../../../domain/vocabulary.ts';
import { retryOnConflict } from '../../ports/store/errors.ts';
import {
  dueAttributes,
  enterpriseIndexAttributes,
  enterprisePartition,
  keys,
  prefixes,
} from '../../ports/store/keys.ts';
import { type Store, type StoredItem, type StoreReader } from '../../ports/store/store.ts';
import { EnterpriseNotFoundError, ProfileContentionError } from './errors.ts';

/**
 * The enterprise's records in the store. One partition per enterprise (`ENT#<id>`):
 *
 * - profile item, sk `PROFILE` (itemType `ENTERPRISE`). Attributes:
 *   id, name, contactEmail, registeredTier (ACE | CE | REGULAR: the tier held before any cause),
 *   certifiedOn?, lastCertificationReviewOn?, closures[] (domain RecordedClosure: {causeId, kind,
 *   on, recordedAt, applicationId?}, the repairs recorded by cause id), certificationBarUntil?,
 *   openApplicationId?, createdAt, version, and the sparse due pair duePk/dueOn (= nextTimeEvent of
 *   the classification input, absent when nothing is scheduled). The tier is never stored: it
 *   follows from the facts and closures (domain/classification.ts); listing ends are computed.
 *   Profiles written before revision 2 hold `restorations[]` ({on, kind, applicationId?,
 *   recordedAt}: everything determined by that day closed at once) instead of `closures`. They are
 *   read as the closures of the causes each restoration closed (closuresOfRestorations), and the
 *   next write of the profile stores those closures and drops `restorations`.
 * - fact record items, sk `FACT#<factId>#<KIND>` (itemType `FACT_RECORD`, attribute `record`: a
 *   domain FactRecord). KIND is RECORDED, PAID or VOIDED, so a fact has at most one of each:
 *   putNew on that key is what makes "paid once" and "voided once" hold under concurrency.
 * - timeline events, sk `EVT#…` (timeline.ts), and sweep duty markers, sk `DUTY#…` (store keys);
 *   both sort before `FACT#` and are not read by `loadEnterprise`.
 *
 * Multi-item changes write the fact record first, then the profile (version bump + due date,
 * retried on a version conflict): the record is the truth and the profile is recomputed from it.
 */

export const ENTERPRISE_ITEM = 'ENTERPRISE';
export const FACT_RECORD_ITEM = 'FACT_RECORD';

/** A restoration as revision 1 stored it on the profile (read only, migrated on the next write). */
export interface LegacyRestoration {
  readonly on: LocalDate;
  readonly kind: ClosureKind;
  readonly applicationId?: string;
  readonly recordedAt: string;
}

export interface EnterpriseProfile extends StoredItem {
  readonly itemType: typeof ENTERPRISE_ITEM;
  readonly id: string;
  readonly name: string;
  readonly contactEmail: string;
  readonly registeredTier: RegisteredTier;
  readonly certifiedOn?: LocalDate;
  readonly lastCertificationReviewOn?: LocalDate;
  /** Set by the sweep on the day a certification review falls due without having been recorded. */
  readonly certificationReviewOverdueSince?: LocalDate;
  /** Absent on profiles written before revision 2 (they hold `restorations`). */
  readonly closures?: readonly RecordedClosure[];
  /** Revision 1 only; see the module comment. */
  readonly restorations?: readonly LegacyRestoration[];
  readonly certificationBarUntil?: LocalDate;
  readonly openApplicationId?: string;
  /** When the open application was claimed; absent on claims written before it was kept. */
  readonly openClaimedAt?: string;
  readonly createdAt: string;
  readonly version: number;
  readonly duePk?: string;
  readonly dueOn?: LocalDate;
  /** The tier index entry (keys.enterpriseIndexAttributes); absent on profiles written before it. */
  readonly gsi2pk?: string;
  readonly gsi2sk?: string;
}

export interface FactRecordItem extends StoredItem {
  readonly itemType: typeof FACT_RECORD_ITEM;
  readonly record: FactRecord;
}

export interface LoadedEnterprise {
  readonly profile: EnterpriseProfile;
  readonly records: FactRecord[];
  readonly facts: Fact[];
  readonly input: ClassificationInput;
}

const RECORD_SUFFIX: Record<FactRecord['kind'], string> = {
  FACT_RECORDED: 'RECORDED',
  FACT_PAID: 'PAID',
  FACT_VOIDED: 'VOIDED',
};

/** The record id (sk suffix) of a fact record: one per fact and kind. */
export const factRecordId = (record: Pick<FactRecord, 'factId' | 'kind'>): string =>
  `${record.factId}#${RECORD_SUFFIX[record.kind]}`;

/** The classification input a profile and its facts make (revision-1 restorations read as closures). */
export function classificationInputOf(
  profile: EnterpriseProfile,
  facts: readonly Fact[],
): ClassificationInput {
  const input: ClassificationInput = {
    registeredTier: profile.registeredTier,
    ...(profile.certifiedOn === undefined ? {} : { certifiedOn: profile.certifiedOn }),
    ...(profile.lastCertificationReviewOn === undefined
      ? {}
      : { lastCertificationReviewOn: profile.lastCertificationReviewOn }),
    facts,
    closures: profile.closures ?? [],
  };
  const legacy = profile.restorations ?? [];
  return legacy.length === 0
    ? input
    : { ...input, closures: [...closuresOfRestorations(input, legacy), ...input.closures] };
}

/** Attributes to set, and (as `undefined`) to remove from the stored profile. */
type ProfileChanges = { readonly [K in keyof EnterpriseProfile]?: EnterpriseProfile[K] | undefined };

/** The changes that turn a revision-1 profile into a revision-2 one, or none. */
const migration = (current: LoadedEnterprise): ProfileChanges =>
  current.profile.restorations === undefined
    ? {}
    : { closures: current.input.closures, restorations: undefined };

/** The sparse due pair for an enterprise whose classification input is `input`, as of `today`. */
export function enterpriseDue(
  enterpriseId: string,
  input: ClassificationInput,
  today: LocalDate,
  noLaterThan?: LocalDate,
): ReturnType<typeof dueAttributes> {
  const next = nextTimeEvent(input, today);
  const due = noLaterThan === undefined ? next : next === null ? noLaterThan : minDate(next, noLaterThan);
  return dueAttributes(enterprisePartition(enterpriseId), due);
}

/** The tier-index entry of a profile whose classification input is `input`, as of `today`. */
export function enterpriseIndex(
  profile: Pick<EnterpriseProfile, 'id' | 'name'>,
  input: ClassificationInput,
  today: LocalDate,
): { gsi2pk: string; gsi2sk: string } {
  return enterpriseIndexAttributes({ id: profile.id, name: profile.name, tier: classify(input, today).tier });
}

/**
 * The profile and every fact record of an enterprise in one strongly consistent Query (paged).
 * The sort-key range [`FACT#`, `PROFILE`] holds exactly those items: events (`EVT#`) and duty
 * markers (`DUTY#`) sort before it. Null when the enterprise is not registered.
 */
export async function loadEnterprise(
  store: StoreReader,
  enterpriseId: string,
): Promise<LoadedEnterprise | null> {
  const profileKey = keys.enterprise(enterpriseId);
  const items = await store.queryAll({
    partition: profileKey.pk,
    sortKey: { between: [prefixes.facts(), profileKey.sk] },
    consistent: true,
  });
  let profile: EnterpriseProfile | undefined;
  const records: FactRecord[] = [];
  for (const item of items) {
    if (item.sk === profileKey.sk) profile = item as EnterpriseProfile;
    else if (item.sk.startsWith(prefixes.facts()) && item.itemType === FACT_RECORD_ITEM) {
      records.push(FactRecord.parse(item.record));
    }
  }
  if (profile === undefined) return null;
  const facts = foldFacts(records);
  return { profile, records, facts, input: classificationInputOf(profile, facts) };
}

/** Like loadEnterprise, but an unknown enterprise is an EnterpriseNotFoundError. */
export async function requireEnterprise(store: StoreReader, enterpriseId: string): Promise<LoadedEnterprise> {
  const loaded = await loadEnterprise(store, enterpriseId);
  if (loaded === null) throw new EnterpriseNotFoundError(enterpriseId);
  return loaded;
}

/** Writes a fact record item; ConflictError(ALREADY_EXISTS) when that fact already has one of its kind. */
export async function putFactRecord(store: Store, enterpriseId: string, record: FactRecord): Promise<void> {
  const key = keys.fact(enterpriseId, factRecordId(record));
  await store.putNew<FactRecordItem>({ ...key, itemType: FACT_RECORD_ITEM, record });
}

const MAX_PROFILE_ATTEMPTS = 10;

/**
 * Re-reads the enterprise and applies `change` to its profile at the version read, with the due
 * pair recomputed from the state `change` leaves, retrying on a version conflict (another writer
 * moved the profile; the change is recomputed against what it wrote). `change` returns null when
 * there is nothing to write (an idempotent repeat). Returns the enterprise as written.
 */
export async function updateProfile(
  store: Store,
  enterpriseId: string,
  today: LocalDate,
  change: (current: LoadedEnterprise) => Partial<Omit<EnterpriseProfile, 'pk' | 'sk' | 'version'>> | null,
  options: { dueNoLaterThan?: LocalDate } = {},
): Promise<{ enterprise: LoadedEnterprise; changed: boolean }> {
  return retryOnConflict(
    MAX_PROFILE_ATTEMPTS,
    async () => {
      const current = await requireEnterprise(store, enterpriseId);
      const asked = change(current);
      if (asked === null) return { enterprise: current, changed: false };
      const changes = { ...migration(current), ...asked };
      const profile = { ...current.profile, ...changes } as EnterpriseProfile;
      const input = classificationInputOf(profile, current.facts);
      const written = await store.updateVersioned<EnterpriseProfile>(
        keys.enterprise(enterpriseId),
        current.profile.version,
        {
          ...changes,
          ...enterpriseDue(enterpriseId, input, today, options.dueNoLaterThan),
          ...enterpriseIndex(profile, input, today),
        },
      );
      return { enterprise: { ...current, profile: written, input }, changed: true };
    },
    () => new ProfileContentionError(enterpriseId),
  );
}

/** Recomputes the due pair after facts changed (the version moves too: the enterprise view changed). */
export async function refreshEnterprise(
  store: Store,
  enterpriseId: string,
  today: LocalDate,
): Promise<LoadedEnterprise> {
  return (await updateProfile(store, enterpriseId, today, () => ({}))).enterprise;
}
