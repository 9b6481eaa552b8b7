import type { ApplicationState, EndedRound, ResubmissionResponse } from './lifecycle.ts';
import { leadPartyOf } from './lifecycle.ts';
import type { DocumentType, Party, ReviewStatus } from './vocabulary.ts';

/**
 * What a party sees beside the application when it reviews (RULES.md §6.9, §6.10):
 * - customs leads: the lead party's page shows the other parties' decisions and comments of the
 *   round as they arrive; the other parties decide without seeing each other's;
 * - from round 2 every party sees the earlier rounds' comments, the applicant's response to them,
 *   and which documents are new: uploaded in this round, so not in the previous round's set.
 */

export interface DecidedReview {
  readonly party: Party;
  readonly status: ReviewStatus;
  readonly decidedAt?: string;
  readonly comment?: string;
}

export interface ReviewContext {
  readonly leadParty: Party;
  readonly isLead: boolean;
  /** For the lead only: the other parties' decided reviews of the current round. */
  readonly othersThisRound: readonly DecidedReview[];
  readonly earlierRounds: readonly EndedRound[];
  readonly responses: readonly ResubmissionResponse[];
  /** Round 2 on: the documents uploaded in this round. Empty in round 1, where everything is new. */
  readonly newDocuments: readonly DocumentType[];
}

export function reviewContext(state: ApplicationState, party: Party): ReviewContext {
  const leadParty = leadPartyOf(state);
  const isLead = party === leadParty;
  const othersThisRound: DecidedReview[] = isLead
    ? state.parties.flatMap((other) => {
        const review = state.reviews[other];
        if (other === party || review === undefined || review.decidedAt === undefined) return [];
        return [
          {
            party: other,
            status: review.status,
            decidedAt: review.decidedAt,
            ...(review.comment === undefined ? {} : { comment: review.comment }),
          },
        ];
      })
    : [];
  const newDocuments =
    state.round < 2
      ? []
      : state.requiredDocuments.filter((type) => state.evidence[type]?.round === state.round);
  return {
    leadParty,
    isLead,
    othersThisRound,
    earlierRounds: state.earlierRounds ?? [],
    responses: state.responses ?? [],
    newDocuments,
  };
}
