import * as z from './zod.ts';
import { Instant, LocalDate, localDateIn } from './dates.ts';
import { DomainError } from './errors.ts';
import type { Fact } from './fact-view.ts';
import { Fen } from './money.ts';
import { FIRST_POLICY_FROM, policyInForce } from './policy.ts';

/**
 * The facts officers record (RULES.md §2) as an append-only history: a fact is recorded once,
 * a payment is a later record naming it, and a correction voids it (with a reason) instead of
 * editing it. `foldFacts` turns any ordering of that history into the current view.
 */

export const FactId = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')),
);
export type FactId = z.infer<typeof FactId>;

const PositiveFen = /* @__PURE__ */ z.schema(() =>
  Fen.check(z.refine((fen) => fen > 0, 'must be more than zero')),
);

export const FineDetails = /* @__PURE__ */ z.schema(() =>
  z.object({
    type: z.literal('FINE'),
    amountFen: PositiveFen,
    imposedOn: LocalDate,
    dueOn: LocalDate,
  }),
);
export const TaxAssessmentDetails = /* @__PURE__ */ z.schema(() =>
  z.object({
    type: z.literal('TAX_ASSESSMENT'),
    amountFen: PositiveFen,
    dueOn: LocalDate,
  }),
);
export const BriberyDetails = /* @__PURE__ */ z.schema(() =>
  z.object({ type: z.literal('BRIBERY'), occurredOn: LocalDate }),
);
export const ObstructionDetails = /* @__PURE__ */ z.schema(() =>
  z.object({ type: z.literal('OBSTRUCTION'), occurredOn: LocalDate }),
);
export const MajorInfractionDetails = /* @__PURE__ */ z.schema(() =>
  z.object({
    type: z.literal('MAJOR_INFRACTION'),
    occurredOn: LocalDate,
  }),
);

/** What a fact says, without its bookkeeping. */
export const FactDetails = /* @__PURE__ */ z.schema(() =>
  z.discriminatedUnion('type', [
    FineDetails,
    TaxAssessmentDetails,
    BriberyDetails,
    ObstructionDetails,
    MajorInfractionDetails,
  ]),
);
export type FactDetails = z.infer<typeof FactDetails>;
/** The current view of one fact (its schema: fact-view.ts). */
export type { Fact };
export type FineFact = Fact & { type: 'FINE' };
export type TaxAssessmentFact = Fact & { type: 'TAX_ASSESSMENT' };
export type PayableFact = FineFact | TaxAssessmentFact;

export const FactRecorded = /* @__PURE__ */ z.schema(() =>
  z.object({
    kind: z.literal('FACT_RECORDED'),
    factId: FactId,
    recordedAt: Instant,
    policyId: z.string().check(z.minLength(1)),
    fact: FactDetails,
  }),
);
export const FactPaid = /* @__PURE__ */ z.schema(() =>
  z.object({
    kind: z.literal('FACT_PAID'),
    factId: FactId,
    paidOn: LocalDate,
    recordedAt: Instant,
  }),
);
export const FactVoided = /* @__PURE__ */ z.schema(() =>
  z.object({
    kind: z.literal('FACT_VOIDED'),
    factId: FactId,
    reason: z.string().check(z.trim(), z.minLength(1)),
    replacedBy: z.optional(FactId),
    recordedAt: Instant,
  }),
);
/** One stored entry of an enterprise's fact history. */
export const FactRecord = /* @__PURE__ */ z.schema(() =>
  z.discriminatedUnion('kind', [FactRecorded, FactPaid, FactVoided]),
);
export type FactRecorded = z.infer<typeof FactRecorded>;
export type FactPaid = z.infer<typeof FactPaid>;
export type FactVoided = z.infer<typeof FactVoided>;
export type FactRecord = z.infer<typeof FactRecord>;

export const FACT_HISTORY_ERROR_CODES = [
  /** Two FACT_RECORDED entries with one id. */
  'DUPLICATE_FACT',
  /** A payment or void names a fact that was never recorded. */
  'UNKNOWN_FACT',
  /** Only FINE and TAX_ASSESSMENT carry money. */
  'NOT_PAYABLE',
  'ALREADY_PAID',
  'ALREADY_VOIDED',
  /** Paying or voiding a voided fact: it no longer exists for the rules. */
  'FACT_VOIDED',
  /** A fine cannot be paid before it was imposed. */
  'PAID_BEFORE_IMPOSED',
  /** A payment, fine or incident dated after today. */
  'DATE_IN_FUTURE',
  /** A void without a reason. */
  'REASON_REQUIRED',
  /** A fact dated before the oldest policy in the table: no rule can judge it (RULES.md §6.6). */
  'BEFORE_FIRST_POLICY',
] as const;
export type FactHistoryErrorCode = (typeof FACT_HISTORY_ERROR_CODES)[number];

export class FactHistoryError extends DomainError {
  declare readonly code: FactHistoryErrorCode;

  constructor(code: FactHistoryErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(code, message, details);
    this.name = 'FactHistoryError';
  }
}

export const isPayable = (fact: Fact): fact is PayableFact =>
  fact.type === 'FINE' || fact.type === 'TAX_ASSESSMENT';

/** Every date a fact carries: a fine's imposition and due dates, a tax's due date, an incident's date. */
export function factDates(fact: FactDetails): LocalDate[] {
  switch (fact.type) {
    case 'FINE':
      return [fact.imposedOn, fact.dueOn];
    case 'TAX_ASSESSMENT':
      return [fact.dueOn];
    default:
      return [fact.occurredOn];
  }
}

/** The date a fact is placed on in time: when a fine was imposed, a tax fell due, an incident occurred. */
export function factDate(fact: FactDetails): LocalDate {
  switch (fact.type) {
    case 'FINE':
      return fact.imposedOn;
    case 'TAX_ASSESSMENT':
      return fact.dueOn;
    default:
      return fact.occurredOn;
  }
}

/** Deterministic fact order: by date, then id. */
export const compareFacts = (a: Fact, b: Fact): number => {
  const byDate = factDate(a).localeCompare(factDate(b));
  return byDate !== 0 ? byDate : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * Whether a payment may be recorded. Decision: a payment may precede dueOn (paying early is what
 * the rules want), but a fine cannot be paid before the day it was imposed — such a record is a
 * data-entry error. A tax assessment has no assessment date here, so any date is accepted.
 */
function checkPayment(fact: Fact | undefined, factId: string, paidOn: LocalDate): PayableFact {
  if (!fact) throw new FactHistoryError('UNKNOWN_FACT', `no fact ${factId}`, { factId });
  if (!isPayable(fact)) {
    throw new FactHistoryError('NOT_PAYABLE', `a ${fact.type} fact cannot be paid`, {
      factId,
      type: fact.type,
    });
  }
  if (fact.paidOn !== undefined) {
    throw new FactHistoryError('ALREADY_PAID', `fact ${factId} is already paid`, {
      factId,
      paidOn: fact.paidOn,
    });
  }
  if (fact.type === 'FINE' && paidOn < fact.imposedOn) {
    throw new FactHistoryError('PAID_BEFORE_IMPOSED', `a fine cannot be paid before it was imposed`, {
      factId,
      imposedOn: fact.imposedOn,
    });
  }
  return fact;
}

function checkVoid(fact: Fact | undefined, factId: string): Fact {
  if (!fact) throw new FactHistoryError('UNKNOWN_FACT', `no fact ${factId}`, { factId });
  if (fact.voided)
    throw new FactHistoryError('ALREADY_VOIDED', `fact ${factId} is already voided`, { factId });
  return fact;
}

const KIND_ORDER: Record<FactRecord['kind'], number> = { FACT_RECORDED: 0, FACT_PAID: 1, FACT_VOIDED: 2 };

function compareRecords(a: FactRecord, b: FactRecord): number {
  const keyA = [KIND_ORDER[a.kind], a.recordedAt, a.factId, JSON.stringify(a)] as const;
  const keyB = [KIND_ORDER[b.kind], b.recordedAt, b.factId, JSON.stringify(b)] as const;
  for (let i = 0; i < keyA.length; i++) {
    if (keyA[i] !== keyB[i]) return keyA[i]! < keyB[i]! ? -1 : 1;
  }
  return 0;
}

/**
 * The current view of a fact history, sorted by `compareFacts`. The result (or the error) does
 * not depend on the order of `records`: they are sorted first, facts before payments before voids.
 * A payment on a voided fact is kept (it may have been recorded before the void); new payments on
 * voided facts are refused by `paymentRecord`.
 */
export function foldFacts(records: readonly FactRecord[]): Fact[] {
  const facts = new Map<string, Fact>();
  for (const record of [...records].sort(compareRecords)) {
    switch (record.kind) {
      case 'FACT_RECORDED':
        if (facts.has(record.factId)) {
          throw new FactHistoryError('DUPLICATE_FACT', `fact ${record.factId} recorded twice`, {
            factId: record.factId,
          });
        }
        facts.set(record.factId, {
          ...record.fact,
          id: record.factId,
          recordedAt: record.recordedAt,
          policyId: record.policyId,
        });
        break;
      case 'FACT_PAID': {
        const fact = checkPayment(facts.get(record.factId), record.factId, record.paidOn);
        facts.set(record.factId, { ...fact, paidOn: record.paidOn, paymentRecordedAt: record.recordedAt });
        break;
      }
      case 'FACT_VOIDED': {
        const fact = checkVoid(facts.get(record.factId), record.factId);
        const voided = { reason: record.reason, recordedAt: record.recordedAt };
        facts.set(record.factId, {
          ...fact,
          voided: record.replacedBy === undefined ? voided : { ...voided, replacedBy: record.replacedBy },
        });
        break;
      }
    }
  }
  return [...facts.values()].sort(compareFacts);
}

function notInFuture(date: LocalDate, today: LocalDate, what: string): void {
  if (date > today)
    throw new FactHistoryError('DATE_IN_FUTURE', `${what} ${date} is after today`, { date, today });
}

/**
 * The record for a new fact. Dates of things that happened (imposedOn, occurredOn) cannot be after
 * today; dueOn may be. No date may precede the first policy (RULES.md §6.6). `recordedAt` is an
 * instant; `today` its date in Asia/Shanghai. The record names the policy in force that day.
 */
export function factRecord(
  details: FactDetails,
  meta: { factId: FactId; recordedAt: string },
  current: readonly Fact[] = [],
): FactRecorded {
  const today = localDateIn(meta.recordedAt);
  const early = factDates(details).filter((date) => date < FIRST_POLICY_FROM);
  if (early.length > 0) {
    throw new FactHistoryError(
      'BEFORE_FIRST_POLICY',
      `${early.join(', ')} is before ${FIRST_POLICY_FROM}, when the oldest policy took effect`,
      { dates: early, firstPolicyFrom: FIRST_POLICY_FROM },
    );
  }
  if (details.type === 'FINE') notInFuture(details.imposedOn, today, 'imposedOn');
  else if (details.type !== 'TAX_ASSESSMENT') notInFuture(details.occurredOn, today, 'occurredOn');
  if (current.some((f) => f.id === meta.factId)) {
    throw new FactHistoryError('DUPLICATE_FACT', `fact ${meta.factId} recorded twice`, {
      factId: meta.factId,
    });
  }
  return {
    kind: 'FACT_RECORDED',
    factId: meta.factId,
    recordedAt: meta.recordedAt,
    policyId: policyInForce(today).id,
    fact: details,
  };
}

/** The record for a payment, checked against the current view (voided facts cannot be paid). */
export function paymentRecord(
  current: readonly Fact[],
  payment: { factId: string; paidOn: LocalDate; recordedAt: string },
): FactPaid {
  const fact = current.find((f) => f.id === payment.factId);
  if (fact?.voided) {
    throw new FactHistoryError('FACT_VOIDED', `fact ${payment.factId} is voided`, { factId: payment.factId });
  }
  checkPayment(fact, payment.factId, payment.paidOn);
  notInFuture(payment.paidOn, localDateIn(payment.recordedAt), 'paidOn');
  return {
    kind: 'FACT_PAID',
    factId: payment.factId,
    paidOn: payment.paidOn,
    recordedAt: payment.recordedAt,
  };
}

/** The record voiding a fact (a correction), checked against the current view. */
export function voidRecord(
  current: readonly Fact[],
  correction: { factId: string; reason: string; replacedBy?: string | undefined; recordedAt: string },
): FactVoided {
  checkVoid(
    current.find((f) => f.id === correction.factId),
    correction.factId,
  );
  const reason = correction.reason.trim();
  if (reason === '')
    throw new FactHistoryError('REASON_REQUIRED', 'a void needs a reason', { factId: correction.factId });
  const record: FactVoided = {
    kind: 'FACT_VOIDED',
    factId: correction.factId,
    reason,
    recordedAt: correction.recordedAt,
  };
  return correction.replacedBy === undefined ? record : { ...record, replacedBy: correction.replacedBy };
}

/** Facts the rules see: voided facts are ignored entirely. */
export const liveFacts = (facts: readonly Fact[]): Fact[] => facts.filter((f) => !f.voided);
