import type { ProblemCode } from './problems.ts';

/**
 * What each catalogued problem code means (problems.ts holds its status and title), for the
 * OpenAPI document; a route may say it more precisely (route.ts `problem()`). Kept apart from the
 * catalogue because only the document generator reads it: the handlers answer with a code's status
 * and title and never its description, so their bundles leave this module out.
 */
export const PROBLEM_DESCRIPTIONS = {
  VALIDATION_FAILED: 'a field is not valid; `errors` lists each',
  MALFORMED_JSON: 'the body is not JSON',
  MALFORMED_FORM: 'the body is empty',
  UNAUTHORIZED: 'no valid bearer token',
  FORBIDDEN: 'outside the caller’s role or enterprises',
  NOT_FOUND: 'no such id or path',
  METHOD_NOT_ALLOWED: 'the path does not answer this method; `Allow` names the ones it does',
  PAYLOAD_TOO_LARGE: 'the body is too large',
  MISDIRECTED_REQUEST:
    'the Host is not a name this server answers for (the embedded runtime: loopback, or its --expose name)',
  UNSUPPORTED_MEDIA_TYPE: 'another content type than the one documented',
  INTERNAL: 'Internal error',
  SERVICE_UNAVAILABLE:
    'every function instance is busy (the embedded runtime: its concurrency queue is full, or no slot freed in time); the request did not run, retry after `Retry-After`',
  GATEWAY_TIMEOUT: 'the function did not answer within the integration timeout; it may still complete',
  NOT_ELIGIBLE:
    'refused by the rules: `reasons` lists each, `earliestApplicationOn` gives the date when time is one',
  MISSING_DOCUMENTS:
    'required documents with no usable file, listed in `missing` (problem: NOT_UPLOADED, or UNREADABLE when storage could not read the newest upload: upload it again)',
  EVIDENCE_INVALID:
    'uploaded files that are not what was declared (size, type signature, over the limit): `invalid` has one entry per document',
  RESPONSE_REQUIRED: 'a resubmission from round 2 needs a response to the change requests',
  TIER_NOT_REGISTRABLE:
    'DISHONEST and SERIOUSLY_DISHONEST follow from recorded facts and cannot be registered',
  DATE_IN_FUTURE: 'a date is after today',
  BEFORE_FIRST_POLICY:
    'a date (imposedOn, dueOn, occurredOn) is before 2021-11-01, when the oldest policy took effect',
  NOT_PAYABLE: 'the fact has no amount to pay',
  PAID_BEFORE_IMPOSED: 'a fine cannot be paid before it was imposed',
  UNKNOWN_DOCUMENT_TYPE: 'no such document type',
  DOCUMENT_NOT_REQUIRED: 'this application does not need that document type',
  CONTENT_TYPE_NOT_ALLOWED: 'the file is not a PDF, JPEG or PNG',
  EMPTY_FILE: 'size is 0',
  FILE_TOO_LARGE: 'size is over the 10 MB limit',
  INVALID_NEXT_TOKEN: 'nextToken is not one this query returned; start again without it',
  INVALID_EVENT: 'the event is malformed',
  COMMENT_REQUIRED: 'a rejection needs a reason, a change request a note',
  REASON_REQUIRED: 'a void needs a reason',
  SAME_OFFICER: 'a reviewer change must be confirmed by another officer than its proposer',
  UNKNOWN_FACT: 'no fact with that id',
  UNKNOWN_CHANGE: 'no reviewer change with that id',
  TOO_MANY_APPLICATIONS:
    'the enterprise created more than the allowed applications in 30 days (withdrawn ones count); retry after `Retry-After` seconds',
  ENTERPRISE_EXISTS: 'an enterprise with that id exists',
  APPLICATION_OPEN: 'another application of this enterprise is open',
  CONCURRENT_UPDATE: 'the item kept changing under concurrent requests; retry',
  IDEMPOTENCY_KEY_REUSED: 'the key was used with another body',
  IDEMPOTENCY_KEY_IN_PROGRESS:
    'a request with the same key is still running; retry after the Retry-After seconds',
  ALREADY_PAID: 'the fact already has a payment date',
  ALREADY_VOIDED: 'the fact is already voided',
  FACT_VOIDED: 'the fact was voided by a correction',
  DUPLICATE_FACT: 'the fact is recorded already',
  NO_APPLICATION: 'the application was never submitted',
  ALREADY_SUBMITTED: 'the application was submitted already',
  APPLICATION_FINAL: 'already decided',
  WRONG_STATUS: 'the application is not in a status that allows this',
  WRONG_PARTIES: 'the parties are not the policy’s for the tier',
  DEADLINE_PASSED: 'the deadline has passed (the sweep will expire the application)',
  DEADLINE_NOT_PASSED: 'the deadline has not passed yet',
  STALE_ROUND: 'the round is not the current one',
  REVIEWS_NOT_OPEN: 'the round’s reviews are not open',
  REVIEW_ALREADY_OPEN: 'the round is open already',
  UNKNOWN_PARTY: 'the party does not review this application',
  REVIEW_NOT_PENDING: 'the party’s review is decided already',
  ROUND_DECIDED: 'the reviews have decided the outcome, which the workflow is recording',
  ROUND_NOT_DECIDED: 'the round is not decided yet',
  ROUND_RESULT_MISMATCH: 'the result is not the one the reviews make',
  CHANGE_PENDING: 'another change of this reviewer awaits confirmation (`pendingChangeId`)',
  CHANGE_DECIDED: 'the reviewer change is no longer pending',
  TOO_MANY_UPLOADS: 'the document has used up its upload tickets for this round',
} as const satisfies Record<ProblemCode, string>;
