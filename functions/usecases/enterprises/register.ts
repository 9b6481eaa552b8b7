import {
  classificationInputOf,
  enterpriseDue,
  enterpriseIndex,
  ENTERPRISE_ITEM,
  type EnterpriseProfile,
  type LoadedEnterprise,
} from './records.ts';
import { localDateIn, type LocalDate } from '../../../domain/dates.ts';
import type { RegisteredTier } from '../../../domain/classification.ts';
import { isCertified, type Tier } from '../../../domain/tiers.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { keys } from '../../ports/store/keys.ts';
import { type ItemCreator } from '../../ports/store/store.ts';
import { EnterpriseExistsError, RegistrationRefusedError } from './errors.ts';

export interface NewEnterprise {
  readonly id: string;
  readonly name: string;
  readonly contactEmail: string;
  /** REGULAR when absent. A downgraded tier follows from facts and cannot be registered. */
  readonly tier?: Tier | undefined;
  /** For a certified tier; today when absent. */
  readonly certifiedOn?: LocalDate | undefined;
}

const isRegistrable = (tier: Tier): tier is RegisteredTier =>
  tier === 'REGULAR' || tier === 'CERTIFIED' || tier === 'ADVANCED_CERTIFIED';

/**
 * Registers an enterprise (POST /enterprises). Throws EnterpriseExistsError on a duplicate id and
 * RegistrationRefusedError for a downgraded tier (TIER_NOT_REGISTRABLE: record the facts that
 * cause it instead) or a certification date after today (DATE_IN_FUTURE).
 */
export async function createEnterprise(
  store: ItemCreator,
  input: NewEnterprise,
  now: string,
): Promise<LoadedEnterprise> {
  const tier = input.tier ?? 'REGULAR';
  if (!isRegistrable(tier)) {
    throw new RegistrationRefusedError(
      'TIER_NOT_REGISTRABLE',
      `${tier} follows from recorded facts; register the enterprise as REGULAR and record them`,
      { tier },
    );
  }
  const { item, classificationInput } = newEnterpriseItem({ ...input, tier }, now);
  try {
    const profile = await store.putNew(item);
    return { profile, records: [], facts: [], input: classificationInput };
  } catch (error) {
    if (error instanceof ConflictError && error.kind === 'ALREADY_EXISTS') {
      throw new EnterpriseExistsError(input.id);
    }
    throw error;
  }
}

/**
 * The profile item a registration writes, with its tier-index and due-index entries. Refuses a
 * certification date after today (DATE_IN_FUTURE). Benchmarks write it in batches to seed tables.
 */
export function newEnterpriseItem(input: NewEnterprise & { readonly tier: RegisteredTier }, now: string) {
  const today = localDateIn(now);
  const { tier } = input;
  const certifiedOn = isCertified(tier) ? (input.certifiedOn ?? today) : undefined;
  if (certifiedOn !== undefined && certifiedOn > today) {
    throw new RegistrationRefusedError('DATE_IN_FUTURE', `certifiedOn ${certifiedOn} is after today`, {
      date: certifiedOn,
      today,
    });
  }
  const base = {
    ...keys.enterprise(input.id),
    itemType: ENTERPRISE_ITEM,
    id: input.id,
    name: input.name,
    contactEmail: input.contactEmail,
    registeredTier: tier,
    ...(certifiedOn === undefined ? {} : { certifiedOn }),
    closures: [],
    createdAt: now,
    version: 0,
  } satisfies EnterpriseProfile;
  const classificationInput = classificationInputOf(base, []);
  const due = enterpriseDue(input.id, classificationInput, today);
  const item = {
    ...base,
    ...enterpriseIndex(base, classificationInput, today),
    ...(due.duePk === undefined ? {} : { duePk: due.duePk, dueOn: due.dueOn }),
  };
  return { item, classificationInput };
}
