import {
  described,
  email,
  maxLength,
  minLength,
  object,
  optional,
  refine,
  string,
  trim,
  type output,
  schema,
} from '../../../domain/zod.ts';
import { LocalDate } from '../../../domain/dates.ts';
import { EnterpriseId, Tier } from '../../../domain/tiers.ts';
import { NextToken, PageSize, Text } from './common.ts';

/**
 * What the enterprise routes accept, apart from their responses (enterprises.ts): a handler's
 * bundle holds the schemas it parses with, and only the OpenAPI document and the response-schema
 * test read the responses.
 */
export const CreateEnterpriseBody = /* @__PURE__ */ schema(() =>
  object({
    id: EnterpriseId,
    name: Text(200),
    contactEmail: email(),
    tier: described(
      optional(Tier),
      'REGULAR when absent. DISHONEST and SERIOUSLY_DISHONEST follow from recorded facts: 422 TIER_NOT_REGISTRABLE',
    ),
    certifiedOn: described(optional(LocalDate), 'for a certified tier; today when absent; not after today'),
  }).check(
    refine(
      (body) =>
        body.certifiedOn === undefined || body.tier === 'ADVANCED_CERTIFIED' || body.tier === 'CERTIFIED',
      { message: 'certifiedOn is only for a certified tier', path: ['certifiedOn'] },
    ),
  ),
);
export type CreateEnterpriseBody = output<typeof CreateEnterpriseBody>;

export const FindEnterprisesQuery = /* @__PURE__ */ schema(() =>
  object({
    tier: described(
      optional(Tier),
      'only enterprises of this tier (e.g. the listed: DISHONEST, SERIOUSLY_DISHONEST)',
    ),
    name: described(
      optional(string().check(trim(), minLength(1), maxLength(200))),
      'the start of the name, case- and width-insensitive (NFKC)',
    ),
    limit: described(optional(PageSize), 'page size, 20 when absent'),
    nextToken: optional(NextToken),
  }),
);
export type FindEnterprisesQuery = output<typeof FindEnterprisesQuery>;

export const EnterpriseEventsQuery = /* @__PURE__ */ schema(() =>
  object({
    limit: described(optional(PageSize), 'page size, 50 when absent'),
    nextToken: optional(NextToken),
  }),
);
