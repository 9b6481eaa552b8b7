import { email, object, type output, schema } from '../../../domain/zod.ts';
import { Text } from './common.ts';

/** What the reviewer routes accept, apart from their responses (reviewers.ts). */
export const PutReviewerBody = /* @__PURE__ */ schema(() =>
  object({ name: Text(200), email: email(), escalationEmail: email() }),
);
export type PutReviewerBody = output<typeof PutReviewerBody>;
