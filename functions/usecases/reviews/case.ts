import { classify } from '../../../domain/classification.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Fact } from '../../../domain/facts.ts';
import type { ApplicationState } from '../../../domain/lifecycle.ts';
import type { CaseFact, ReviewCase } from '../../pages/review/case-section.ts';
import { coveredCauseIdsOf } from '../applications/causes-changed.ts';
import type { LoadedEnterprise } from '../enterprises/records.ts';

/**
 * The case shown on a review page, from the enterprise record the page already loads (no read of
 * its own): the causes the application covers as the domain classifies them today, the facts each
 * owns, and the rectification clock. Only what the reviewers of this application decide on:
 * causes outside the application and voided facts are left out.
 */

function caseFact(fact: Fact): CaseFact {
  const base = {
    id: fact.id,
    type: fact.type,
    ...(fact.paidOn === undefined ? {} : { paidOn: fact.paidOn }),
  };
  switch (fact.type) {
    case 'FINE':
      return { ...base, amountFen: fact.amountFen, imposedOn: fact.imposedOn, dueOn: fact.dueOn };
    case 'TAX_ASSESSMENT':
      return { ...base, amountFen: fact.amountFen, dueOn: fact.dueOn };
    default:
      return { ...base, occurredOn: fact.occurredOn };
  }
}

export function reviewCaseOf(
  state: ApplicationState,
  enterprise: LoadedEnterprise,
  today: LocalDate,
): ReviewCase {
  const classification = classify(enterprise.input, today);
  const covered = new Set(coveredCauseIdsOf(state, enterprise.input));
  const facts = new Map(enterprise.facts.filter((f) => !f.voided).map((f) => [f.id, f]));
  const rectification = classification.rectification;
  return {
    asOf: today,
    causes: classification.determined
      .filter((cause) => covered.has(cause.id))
      .map((cause) => ({
        code: cause.code,
        tier: cause.tier,
        determinedOn: cause.determinedOn,
        policyId: cause.policyId,
        minimumMonths: cause.minimumMonths,
        listingUntil: cause.listingUntil,
        ...(cause.rectifiedOn === undefined ? {} : { rectifiedOn: cause.rectifiedOn }),
        facts: cause.factIds.flatMap((id) => {
          const fact = facts.get(id);
          return fact === undefined ? [] : [caseFact(fact)];
        }),
      })),
    clockStart: rectification?.clockStart ?? null,
    earliestApplicationOn: rectification?.earliestApplicationOn ?? null,
    minimumMonths: rectification?.minimumMonths ?? null,
  };
}
