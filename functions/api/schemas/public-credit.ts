import { nullable, object, string, schema } from '../../../domain/zod.ts';
import { EnterpriseId, Tier } from '../../../domain/tiers.ts';
import { Listing } from './common.ts';

/** The public credit status. */
export const PublicCredit = /* @__PURE__ */ schema(() =>
  object({
    enterpriseId: EnterpriseId,
    name: string(),
    tier: Tier,
    label: string(),
    listing: nullable(Listing),
  }),
);
