import * as z from './zod.ts';
import { LocalDate } from './dates.ts';
import { FactId, type FactDetails } from './facts.ts';
import { yuanToFen } from './money.ts';

/**
 * What an officer sends to record, pay or void a fact (CONTRACT.md), apart from the fact history
 * (facts.ts): only the routes that take these bodies parse them, so the other functions' bundles,
 * which read stored facts, leave them out.
 */

const dueNotBeforeImposed = (fine: { imposedOn: string; dueOn: string }): boolean =>
  fine.dueOn >= fine.imposedOn;
const DUE_BEFORE_IMPOSED = { message: 'dueOn must not precede imposedOn', path: ['dueOn'] };

/** An amount as an officer sends it, yuan as a number or decimal string; output: integer fen (money.ts). */
export const YuanAmount = /* @__PURE__ */ z.schema(() =>
  z.pipe(
    z.union([z.number(), z.string()]),
    z.transform((value, ctx): number => {
      try {
        return yuanToFen(value);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: (error as Error).message, input: value });
        return z.NEVER;
      }
    }),
  ),
);

const PositiveYuan = /* @__PURE__ */ z.schema(() =>
  YuanAmount.check(z.refine((fen) => fen > 0, 'must be more than zero')),
);

/**
 * The dates an officer may put on a fact. Dates are written with four-digit years and the rules
 * reach months to years after a fact (arrears, listings), so a date near year 9999 would make every
 * later classification of its enterprise fail: customs records that late are typing errors, refused
 * at the edge. Dates before the first policy are a rule refusal (BEFORE_FIRST_POLICY, `factRecord`),
 * not a malformed request.
 */
const LATEST_FACT_DATE = '2999-12-31';
const FactDate = /* @__PURE__ */ z.schema(() =>
  LocalDate.check(z.refine((date) => date <= LATEST_FACT_DATE, `a date up to ${LATEST_FACT_DATE}`)),
);

/**
 * The body an officer sends (CONTRACT.md): `{type, amount?, imposedOn?, dueOn?, occurredOn?}`,
 * amount in yuan. Each type takes exactly its own fields; a stray field is refused because it
 * usually means the wrong type was chosen. Parses to `FactDetails` (amount in fen).
 */
export const FactInput = /* @__PURE__ */ z.schema(() =>
  z.pipe(
    z.discriminatedUnion('type', [
      z
        .strictObject({ type: z.literal('FINE'), amount: PositiveYuan, imposedOn: FactDate, dueOn: FactDate })
        .check(z.refine(dueNotBeforeImposed, DUE_BEFORE_IMPOSED)),
      z.strictObject({ type: z.literal('TAX_ASSESSMENT'), amount: PositiveYuan, dueOn: FactDate }),
      z.strictObject({ type: z.literal('BRIBERY'), occurredOn: FactDate }),
      z.strictObject({ type: z.literal('OBSTRUCTION'), occurredOn: FactDate }),
      z.strictObject({ type: z.literal('MAJOR_INFRACTION'), occurredOn: FactDate }),
    ]),
    z.transform((input): FactDetails => {
      switch (input.type) {
        case 'FINE':
          return { type: 'FINE', amountFen: input.amount, imposedOn: input.imposedOn, dueOn: input.dueOn };
        case 'TAX_ASSESSMENT':
          return { type: 'TAX_ASSESSMENT', amountFen: input.amount, dueOn: input.dueOn };
        default:
          return input;
      }
    }),
  ),
);
export type FactInput = z.input<typeof FactInput>;

/** `POST …/facts/{factId}/payment` body. */
export const PaymentInput = /* @__PURE__ */ z.schema(() => z.strictObject({ paidOn: LocalDate }));
export type PaymentInput = z.infer<typeof PaymentInput>;

/** A correction: the reason is what makes a void auditable, so it cannot be blank. */
export const VoidInput = /* @__PURE__ */ z.schema(() =>
  z.strictObject({
    reason: z.string().check(z.trim(), z.minLength(1, 'a reason is required'), z.maxLength(1000)),
    replacedBy: z.optional(FactId),
  }),
);
export type VoidInput = z.infer<typeof VoidInput>;
