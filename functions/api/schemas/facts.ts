import { type output } from '../../../domain/zod.ts';
import { FactInput, PaymentInput, VoidInput } from '../../../domain/fact-inputs.ts';

/**
 * The bodies of the fact routes (record, pay, void), apart from the enterprise schemas so that
 * the routes reading enterprises do not bundle the officer's input parsers.
 */

/**
 * RULES.md §2: which fields each kind of fact carries (the domain's FactInput: each type takes
 * exactly its own fields). Amounts are yuan on the wire, parsed to fen. A date before the oldest
 * policy (2021-11-01) is a rule refusal, 422 BEFORE_FIRST_POLICY, not a malformed body.
 */
export const RecordFactBody = FactInput;
export type RecordFactBody = output<typeof RecordFactBody>;

export const RecordPaymentBody = PaymentInput;
export type RecordPaymentBody = output<typeof RecordPaymentBody>;

/** A correction (RULES.md §2): the fact stays on record as voided, with the reason. */
export const VoidFactBody = VoidInput;
export type VoidFactBody = output<typeof VoidFactBody>;
