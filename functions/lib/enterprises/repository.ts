import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClassificationInput, RegisteredTier, Restoration } from '../../../domain/classification.ts';
import { nextTimeEvent } from '../../../domain/classification.ts';
import { minDate, type LocalDate } from '../../../domain/dates.ts';
import { foldFacts, FactRecord } from '../../../domain/facts.ts';
import type { Fact } from '../../../domain/facts.ts';
import type { RestorationKind } from '../../../domain/vocabulary.ts';
import { isConditionalCheckFailed } from '../store/errors.ts';
import {
  ConflictError,
  dueAttributes,
  enterprisePartition,
  keys,
  prefixes,
  type Store,
  type StoredItem,
} from '../store/index.ts';
import { ApplicationOpenError, EnterpriseNotFoundError, ProfileContentionError } from './errors.ts';

/**
 * The enterprise aggregate in DynamoDB. One partition per enterprise (`ENT#<id>`):
 *
 * - profile item, sk `PROFILE` (itemType `ENTERPRISE`). Attributes:
 *   id, name, contactEmail, registeredTier (ACE | CE | REGULAR: the tier held before any cause),
 *   certifiedOn?, lastCertificationReviewOn?, restorations[] ({on, kind, applicationId?, recordedAt}),
 *   certificationBarUntil?, openApplicationId?, createdAt, version, and the sparse due pair
 *   duePk/dueOn (= nextTimeEvent of the classification input, absent when nothing is scheduled).
 *   The tier is never stored: it follows from the facts (domain/classification.ts).
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

export interface StoredRestoration extends Restoration {
  readonly applicationId?: string;
  /** When the restoration was recorded: its timeline event's instant. */
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
  readonly restorations: readonly StoredRestoration[];
  readonly certificationBarUntil?: LocalDate;
  readonly openApplicationId?: string;
  readonly createdAt: string;
  readonly version: number;
  readonly duePk?: string;
  readonly dueOn?: LocalDate;
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

/** The classification input a profile and its facts make. */
export function classificationInputOf(
  profile: EnterpriseProfile,
  facts: readonly Fact[],
): ClassificationInput {
  return {
    registeredTier: profile.registeredTier,
    ...(profile.certifiedOn === undefined ? {} : { certifiedOn: profile.certifiedOn }),
    ...(profile.lastCertificationReviewOn === undefined
      ? {}
      : { lastCertificationReviewOn: profile.lastCertificationReviewOn }),
    facts,
    restorations: profile.restorations.map(({ on, kind }) => ({ on, kind })),
  };
}

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

/**
 * The profile and every fact record of an enterprise in one strongly consistent Query (paged).
 * The sort-key range [`FACT#`, `PROFILE`] holds exactly those items: events (`EVT#`) and duty
 * markers (`DUTY#`) sort before it. Null when the enterprise is not registered.
 */
export async function loadEnterprise(store: Store, enterpriseId: string): Promise<LoadedEnterprise | null> {
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
export async function requireEnterprise(store: Store, enterpriseId: string): Promise<LoadedEnterprise> {
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
  for (let attempt = 0; attempt < MAX_PROFILE_ATTEMPTS; attempt++) {
    const current = await requireEnterprise(store, enterpriseId);
    const changes = change(current);
    if (changes === null) return { enterprise: current, changed: false };
    const profile = { ...current.profile, ...changes } as EnterpriseProfile;
    const input = classificationInputOf(profile, current.facts);
    try {
      const written = await store.updateVersioned<EnterpriseProfile>(
        keys.enterprise(enterpriseId),
        current.profile.version,
        { ...changes, ...enterpriseDue(enterpriseId, input, today, options.dueNoLaterThan) },
      );
      return { enterprise: { ...current, profile: written, input }, changed: true };
    } catch (error) {
      if (!(error instanceof ConflictError && error.kind === 'VERSION_MISMATCH')) throw error;
    }
  }
  throw new ProfileContentionError(enterpriseId);
}

/** Recomputes the due pair after facts changed (the version moves too: the enterprise view changed). */
export async function refreshEnterprise(
  store: Store,
  enterpriseId: string,
  today: LocalDate,
): Promise<LoadedEnterprise> {
  return (await updateProfile(store, enterpriseId, today, () => ({}))).enterprise;
}

/**
 * Marks `applicationId` as the enterprise's open application, only if none is: the conditional
 * write that makes "one open application per enterprise" hold under concurrency. Claiming again
 * with the same id succeeds (a retried step). Throws ApplicationOpenError(existingId) when another
 * application holds it, EnterpriseNotFoundError when the enterprise is not registered.
 */
export async function claimOpenApplication(
  store: Store,
  enterpriseId: string,
  applicationId: string,
): Promise<void> {
  if (
    await updateOpenClaim(
      store,
      enterpriseId,
      applicationId,
      'SET #open = :app',
      'attribute_not_exists(#open)',
    )
  )
    return;
  const profile = await store.get<EnterpriseProfile>(keys.enterprise(enterpriseId));
  if (profile === undefined) throw new EnterpriseNotFoundError(enterpriseId);
  if (profile.openApplicationId === applicationId) return;
  if (profile.openApplicationId === undefined) {
    // Released between our write and our read: the claim is free again, try once more.
    return claimOpenApplication(store, enterpriseId, applicationId);
  }
  throw new ApplicationOpenError(enterpriseId, profile.openApplicationId);
}

/** Clears the open application if it is `applicationId`; a no-op otherwise (idempotent). */
export async function releaseOpenApplication(
  store: Store,
  enterpriseId: string,
  applicationId: string,
): Promise<{ released: boolean }> {
  const released = await updateOpenClaim(store, enterpriseId, applicationId, 'REMOVE #open', '#open = :app');
  return { released };
}

/**
 * One conditional write of the enterprise's open-application claim, bumping its version so
 * versioned writers of the profile see the change. False when the condition (or the enterprise)
 * is not there.
 */
async function updateOpenClaim(
  store: Store,
  enterpriseId: string,
  applicationId: string,
  update: string,
  condition: string,
): Promise<boolean> {
  const key = keys.enterprise(enterpriseId);
  try {
    await store.table.doc.send(
      new UpdateCommand({
        TableName: store.table.tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: `${update} ADD #version :one`,
        ConditionExpression: `attribute_exists(#pk) AND ${condition}`,
        ExpressionAttributeNames: { '#pk': 'pk', '#open': 'openApplicationId', '#version': 'version' },
        ExpressionAttributeValues: { ':app': applicationId, ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

export interface RestorationInput {
  readonly on: LocalDate;
  readonly kind: RestorationKind;
  readonly applicationId?: string;
  /** Set on a repair (RULES.md §4): no certified tier before this day. */
  readonly certificationBarUntil?: LocalDate;
}

const sameRestoration = (a: StoredRestoration, b: RestorationInput): boolean =>
  b.applicationId !== undefined ? a.applicationId === b.applicationId : a.on === b.on && a.kind === b.kind;

/**
 * Records a restoration (repair approved, listing expired) on the profile and recomputes the due
 * pair. Idempotent: a restoration for the same application, or (without one) the same day and kind,
 * is not added twice. Returns the enterprise and the restoration as stored (with its recordedAt,
 * from the first write, for a deterministic timeline event).
 */
export async function recordRestoration(
  store: Store,
  enterpriseId: string,
  restoration: RestorationInput,
  at: { now: string; today: LocalDate },
): Promise<{ enterprise: LoadedEnterprise; restoration: StoredRestoration; added: boolean }> {
  const { enterprise, changed } = await updateProfile(store, enterpriseId, at.today, (current) => {
    if (current.profile.restorations.some((r) => sameRestoration(r, restoration))) return null;
    const stored: StoredRestoration = {
      on: restoration.on,
      kind: restoration.kind,
      recordedAt: at.now,
      ...(restoration.applicationId === undefined ? {} : { applicationId: restoration.applicationId }),
    };
    const bar = restoration.certificationBarUntil;
    const previousBar = current.profile.certificationBarUntil;
    return {
      restorations: [...current.profile.restorations, stored],
      ...(bar !== undefined && (previousBar === undefined || bar > previousBar)
        ? { certificationBarUntil: bar }
        : {}),
    };
  });
  const stored = enterprise.profile.restorations.find((r) => sameRestoration(r, restoration));
  if (stored === undefined) throw new Error('restoration missing after it was recorded');
  return { enterprise, restoration: stored, added: changed };
}
