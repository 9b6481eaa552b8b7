import {
  maxLength,
  object,
  optional,
  regex,
  string,
  trim,
  type output,
  schema,
} from '../../../domain/zod.ts';
import { Decision, REVIEW_COMMENT_MAX_LENGTH } from '../../../domain/vocabulary.ts';

/** The review form a reviewer posts. */
/** The review form a reviewer posts from the confirmation page (urlencoded, no script). */
export const ReviewDecisionForm = /* @__PURE__ */ schema(() =>
  object({
    decision: Decision,
    comment: optional(string().check(trim(), maxLength(REVIEW_COMMENT_MAX_LENGTH))),
    nonce: string().check(regex(/^[A-Za-z0-9_-]{16,200}$/, 'the form nonce')),
  }),
);
export type ReviewDecisionForm = output<typeof ReviewDecisionForm>;
