import { nullable, object, string } from '../../../domain/zod.ts';
import { EnterpriseId, Tier } from '../../../domain/tiers.ts';
import { Listing } from './common.ts';

/** The public credit status. */
export const PublicCredit = object({
  enterpriseId: EnterpriseId,
  name: string(),
  tier: Tier,
  label: string(),
  listing: nullable(Listing),
});
