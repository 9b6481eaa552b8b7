import {
  array,
  described,
  email,
  enum as enumOf,
  object,
  optional,
  record,
  string,
  schema,
} from '../../../domain/zod.ts';
import { Instant } from '../../../domain/dates.ts';
import { Party } from '../../../domain/vocabulary.ts';

/** The reviewer directory and its four-eyes changes on the wire. */
export const Reviewer = /* @__PURE__ */ schema(() =>
  object({
    party: Party,
    name: string(),
    email: email(),
    escalationEmail: email(),
    updatedAt: optional(Instant),
  }),
);

export const ReviewerDirectory = /* @__PURE__ */ schema(() => object({ items: array(Reviewer) }));

const ReviewerContact = /* @__PURE__ */ schema(() =>
  object({ name: string(), email: email(), escalationEmail: email() }),
);

const ReviewerChangeFields = /* @__PURE__ */ schema(() => ({
  id: string(),
  party: Party,
  proposed: ReviewerContact,
  proposedBy: described(
    string(),
    "the proposing officer's subject; `system` for entries set before four eyes",
  ),
  proposedAt: Instant,
  previous: described(
    optional(
      object({
        name: string(),
        email: email(),
        escalationEmail: email(),
        updatedAt: Instant,
        changeId: optional(string()),
      }),
    ),
    'the reviewer the change replaces; absent for a first reviewer',
  ),
  confirmedBy: optional(string()),
  confirmedAt: optional(Instant),
  cancelledBy: optional(string()),
  cancelledAt: optional(Instant),
}));

export const ReviewerChange = /* @__PURE__ */ schema(() =>
  object({
    ...ReviewerChangeFields,
    status: enumOf(['PENDING', 'CONFIRMED', 'CANCELLED']),
  }),
);

export const ProposedReviewerChange = /* @__PURE__ */ schema(() => object({ change: ReviewerChange }));

export const ConfirmedReviewerChange = /* @__PURE__ */ schema(() =>
  object({ reviewer: Reviewer, change: ReviewerChange }),
);

export const ReviewerHistory = /* @__PURE__ */ schema(() =>
  object({
    party: Party,
    items: described(
      array(
        object({
          ...ReviewerChangeFields,
          status: described(
            enumOf(['PENDING', 'CONFIRMED', 'CANCELLED', 'ABANDONED']),
            'ABANDONED: a pending change that lost its claim to the party (a concurrent proposal); it never takes effect',
          ),
        }),
      ),
      'every change, oldest first',
    ),
    timeline: described(
      array(object({ at: Instant, type: string(), actor: string(), detail: record(string(), string()) })),
      'every step, with the officer who took it',
    ),
  }),
);
