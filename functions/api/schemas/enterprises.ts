import {
  array,
  boolean,
  described,
  email,
  enum as enumOf,
  int,
  minimum,
  number,
  nullable,
  object,
  optional,
  record,
  string,
  union,
  schema,
} from '../../../domain/zod.ts';
import { CauseId } from '../../../domain/classification.ts';
import { Instant, LocalDate } from '../../../domain/dates.ts';
import { EnterpriseId, Tier } from '../../../domain/tiers.ts';
import {
  CauseCode,
  ClosureKind,
  DocumentType,
  FactType,
  Party,
  RefusalCode,
} from '../../../domain/vocabulary.ts';
import { OpaqueId, YuanOut, Listing } from './common.ts';

/** Enterprises, their facts, causes, eligibility and timeline on the wire. */
export const Fact = /* @__PURE__ */ schema(() =>
  object({
    id: OpaqueId,
    type: FactType,
    amount: optional(YuanOut),
    imposedOn: optional(LocalDate),
    dueOn: optional(LocalDate),
    paidOn: optional(LocalDate),
    occurredOn: optional(LocalDate),
    recordedAt: Instant,
    policyId: string(),
    voided: described(
      optional(object({ reason: string(), recordedAt: Instant, replacedBy: optional(OpaqueId) })),
      'set when a correction voided this fact; the rules then ignore it',
    ),
  }),
);

export const Cause = /* @__PURE__ */ schema(() =>
  object({
    id: described(CauseId, 'the cause code and the id of the fact that determined it'),
    code: CauseCode,
    tier: Tier,
    determinedOn: LocalDate,
    factIds: described(array(OpaqueId), 'the facts this cause owns; a fact counts in one cause at most'),
    rectified: boolean(),
    rectifiedOn: nullable(LocalDate),
    minimumMonths: int().check(minimum(0)),
    policyId: described(string(), 'the policy in force on the determination date'),
    listingUntil: described(LocalDate, "the end of this cause's own listing"),
    closed: described(
      optional(object({ kind: ClosureKind, on: LocalDate })),
      'once closed: REPAIRED by an approved application, or LISTING_EXPIRED',
    ),
  }),
);

export const Outstanding = /* @__PURE__ */ schema(() =>
  object({
    factId: OpaqueId,
    type: enumOf(['FINE', 'TAX_ASSESSMENT']),
    amount: YuanOut,
    dueOn: LocalDate,
  }),
);

export const Enterprise = /* @__PURE__ */ schema(() =>
  object({
    id: EnterpriseId,
    name: string(),
    contactEmail: email(),
    tier: Tier,
    causes: described(array(Cause), 'every cause determined so far: the active ones, then the closed ones'),
    facts: array(Fact),
    listing: nullable(Listing),
    rectification: nullable(
      object({
        clockStart: described(nullable(LocalDate), 'null while an obligation is outstanding'),
        earliestApplicationOn: nullable(LocalDate),
        minimumMonths: int().check(minimum(0)),
        outstanding: array(Outstanding),
      }),
    ),
    openApplicationId: optional(OpaqueId),
    certifiedOn: optional(LocalDate),
    certificationBarUntil: optional(LocalDate),
    certification: described(
      optional(object({ reviewDueOn: LocalDate, noticeOn: LocalDate, overdue: boolean() })),
      'certified tiers only: the periodic re-review (ACE every 5 years, CE every 3)',
    ),
    version: int().check(minimum(0)),
  }),
);

export const FactWithEnterprise = /* @__PURE__ */ schema(() =>
  object({ fact: Fact, enterprise: Enterprise }),
);

export const EnterpriseSummary = /* @__PURE__ */ schema(() =>
  object({ id: EnterpriseId, name: string(), tier: Tier }),
);

export const EnterpriseList = /* @__PURE__ */ schema(() =>
  object({ items: array(EnterpriseSummary), nextToken: optional(string()) }),
);

export const Refusal = /* @__PURE__ */ schema(() =>
  object({
    code: RefusalCode,
    tier: described(optional(Tier), 'NOT_DOWNGRADED: the tier held'),
    facts: described(optional(array(Outstanding)), 'OUTSTANDING_OBLIGATIONS: what is still unpaid'),
    earliestApplicationOn: described(
      optional(nullable(LocalDate)),
      'RECTIFICATION_PERIOD_NOT_MET: null while obligations are outstanding',
    ),
    applicationId: described(optional(OpaqueId), 'APPLICATION_OPEN: the open application'),
  }),
);

export const EligibilityResponse = /* @__PURE__ */ schema(() =>
  object({
    enterpriseId: EnterpriseId,
    asOf: LocalDate,
    eligible: boolean(),
    reasons: described(array(Refusal), 'every rule that refuses an application today'),
    earliestApplicationOn: nullable(LocalDate),
    requiredDocuments: array(DocumentType),
    parties: array(Party),
    fromTier: Tier,
    targetTier: Tier,
  }),
);

export const EnterpriseEvent = /* @__PURE__ */ schema(() =>
  object({
    at: Instant,
    key: string(),
    type: string(),
    actor: string(),
    detail: optional(
      record(string(), union([union([union([string(), number()]), boolean()]), nullable(string())])),
    ),
  }),
);

export const EnterpriseEventList = /* @__PURE__ */ schema(() =>
  object({ items: array(EnterpriseEvent), nextToken: optional(string()) }),
);
