import { classify } from '../../../domain/classification.ts';
import type { Listing } from '../../../domain/classification.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Fact } from '../../../domain/facts.ts';
import { fenToYuan } from '../../../domain/money.ts';
import { TIER_INFO, type Tier } from '../../../domain/tiers.ts';
import type { CauseCode, ClosureKind, FactType } from '../../../domain/vocabulary.ts';
import type { LoadedEnterprise } from './records.ts';

/**
 * The wire views of an enterprise (CONTRACT.md): GET /enterprises/{id} and the public credit
 * status. Money is yuan as a number. The tier, causes, listing and rectification are classified
 * as of `today`; nothing derived is stored. `causes` lists every cause determined so far, closed
 * ones with `closed` (RULES.md §6), active ones first in determination order.
 */

export interface FactView {
  readonly id: string;
  readonly type: FactType;
  readonly amount?: number;
  readonly imposedOn?: LocalDate;
  readonly dueOn?: LocalDate;
  readonly occurredOn?: LocalDate;
  readonly paidOn?: LocalDate;
  readonly recordedAt: string;
  readonly policyId: string;
  readonly voided?: {
    readonly reason: string;
    readonly recordedAt: string;
    readonly replacedBy?: string | undefined;
  };
}

export interface CauseView {
  readonly id: string;
  readonly code: CauseCode;
  readonly tier: Tier;
  readonly determinedOn: LocalDate;
  readonly factIds: readonly string[];
  readonly rectified: boolean;
  readonly rectifiedOn: LocalDate | null;
  readonly minimumMonths: number;
  readonly policyId: string;
  readonly listingUntil: LocalDate;
  readonly closed?: { readonly kind: ClosureKind; readonly on: LocalDate };
}

export interface OutstandingView {
  readonly factId: string;
  readonly type: 'FINE' | 'TAX_ASSESSMENT';
  readonly amount: number;
  readonly dueOn: LocalDate;
}

export interface EnterpriseView {
  readonly id: string;
  readonly name: string;
  readonly contactEmail: string;
  readonly tier: Tier;
  readonly causes: CauseView[];
  readonly facts: FactView[];
  readonly listing: Listing | null;
  readonly rectification: {
    readonly clockStart: LocalDate | null;
    readonly earliestApplicationOn: LocalDate | null;
    readonly minimumMonths: number;
    readonly outstanding: OutstandingView[];
  } | null;
  readonly openApplicationId?: string;
  readonly certifiedOn?: LocalDate;
  readonly certificationBarUntil?: LocalDate;
  /** Certified tiers only: when the periodic re-review is due (ACE 5 years, CE 3 years). */
  readonly certification?: { reviewDueOn: LocalDate; noticeOn: LocalDate; overdue: boolean };
  readonly version: number;
}

export interface PublicCreditView {
  readonly enterpriseId: string;
  readonly name: string;
  readonly tier: Tier;
  readonly label: string;
  readonly listing: Listing | null;
}

export function factView(fact: Fact): FactView {
  const common = {
    id: fact.id,
    type: fact.type,
    recordedAt: fact.recordedAt,
    policyId: fact.policyId,
    ...(fact.paidOn === undefined ? {} : { paidOn: fact.paidOn }),
    ...(fact.voided === undefined ? {} : { voided: fact.voided }),
  };
  switch (fact.type) {
    case 'FINE':
      return {
        ...common,
        amount: fenToYuan(fact.amountFen),
        imposedOn: fact.imposedOn,
        dueOn: fact.dueOn,
      };
    case 'TAX_ASSESSMENT':
      return { ...common, amount: fenToYuan(fact.amountFen), dueOn: fact.dueOn };
    default:
      return { ...common, occurredOn: fact.occurredOn };
  }
}

export function enterpriseView(enterprise: LoadedEnterprise, today: LocalDate): EnterpriseView {
  const { profile } = enterprise;
  const classification = classify(enterprise.input, today);
  const rectification = classification.rectification;
  return {
    id: profile.id,
    name: profile.name,
    contactEmail: profile.contactEmail,
    tier: classification.tier,
    causes: [
      ...classification.determined.filter((c) => c.closed === undefined),
      ...classification.determined.filter((c) => c.closed !== undefined),
    ].map((cause) => ({
      id: cause.id,
      code: cause.code,
      tier: cause.tier,
      determinedOn: cause.determinedOn,
      factIds: [...cause.factIds],
      rectified: cause.rectified,
      rectifiedOn: cause.rectifiedOn ?? null,
      minimumMonths: cause.minimumMonths,
      policyId: cause.policyId,
      listingUntil: cause.listingUntil,
      ...(cause.closed === undefined ? {} : { closed: { kind: cause.closed.kind, on: cause.closed.on } }),
    })),
    facts: enterprise.facts.map(factView),
    listing: classification.listing,
    rectification:
      rectification === null
        ? null
        : {
            clockStart: rectification.clockStart,
            earliestApplicationOn: rectification.earliestApplicationOn,
            minimumMonths: rectification.minimumMonths,
            outstanding: rectification.outstanding.map((o) => ({
              factId: o.factId,
              type: o.type,
              amount: fenToYuan(o.amountFen),
              dueOn: o.dueOn,
            })),
          },
    ...(profile.openApplicationId === undefined ? {} : { openApplicationId: profile.openApplicationId }),
    ...(profile.certifiedOn === undefined ? {} : { certifiedOn: profile.certifiedOn }),
    ...(profile.certificationBarUntil === undefined
      ? {}
      : { certificationBarUntil: profile.certificationBarUntil }),
    ...(classification.certification === undefined
      ? {}
      : {
          certification: {
            reviewDueOn: classification.certification.reviewDueOn,
            noticeOn: classification.certification.noticeOn,
            overdue: classification.certification.overdue,
          },
        }),
    version: profile.version,
  };
}

export function publicCreditView(enterprise: LoadedEnterprise, today: LocalDate): PublicCreditView {
  const { tier, listing } = classify(enterprise.input, today);
  return {
    enterpriseId: enterprise.profile.id,
    name: enterprise.profile.name,
    tier,
    label: TIER_INFO[tier].label,
    listing,
  };
}
