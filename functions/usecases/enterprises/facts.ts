import { classify } from '../../../domain/classification.ts';
import { localDateIn } from '../../../domain/dates.ts';
import {
  factRecord,
  FactHistoryError,
  paymentRecord,
  voidRecord,
  type Fact,
  type FactDetails,
  type FactRecord,
} from '../../../domain/facts.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { eventKeys, keys } from '../../ports/store/keys.ts';
import { type Store } from '../../ports/store/store.ts';
import type { Needs } from '../../ports/ports.ts';
import { settleOpenApplication } from '../applications/causes-changed.ts';
import { newFactId } from './ids.ts';
import { enterpriseView, factView, type EnterpriseView, type FactView } from './view.ts';
import { putFactRecord, requireEnterprise, updateProfile, type LoadedEnterprise } from './records.ts';
import { appendEnterpriseEvent } from './timeline.ts';

/**
 * Officers' changes to an enterprise's fact history (RULES.md §2): record a fact, record its
 * payment, void it (a correction). Each appends one record item, then recomputes the profile
 * (version, due date) and, when the tier moved, appends a TIER_CHANGED event. Rule refusals are
 * FactHistoryErrors with the domain's codes; an unknown enterprise is EnterpriseNotFoundError.
 */

export interface Actor {
  /** The instant of the request (ISO 8601 UTC); its Asia/Shanghai date is "today". */
  readonly now: string;
  /** Who acts, for the timeline: `officer:<sub>`. */
  readonly actor: string;
}

export interface FactChange {
  readonly fact: Fact;
  readonly enterprise: LoadedEnterprise;
}

/** A putNew conflict on a payment or void record means another request recorded it first. */
const CONFLICT_CODE: Partial<Record<FactRecord['kind'], 'ALREADY_PAID' | 'ALREADY_VOIDED'>> = {
  FACT_PAID: 'ALREADY_PAID',
  FACT_VOIDED: 'ALREADY_VOIDED',
};

async function applyRecord(
  store: Store,
  before: LoadedEnterprise,
  record: FactRecord,
  who: Actor,
): Promise<FactChange> {
  const enterpriseId = before.profile.id;
  const today = localDateIn(who.now);
  // The enterprise becomes due today before the record lands, so the sweep settles what the record
  // determines (an old fact's arrears, a payment's eligibility notice or restoration) and the next
  // due date, even when this request stops before its last write.
  await store.setDue(keys.enterprise(enterpriseId), today);
  try {
    await putFactRecord(store, enterpriseId, record);
  } catch (error) {
    const code = CONFLICT_CODE[record.kind];
    if (error instanceof ConflictError && error.kind === 'ALREADY_EXISTS' && code !== undefined) {
      throw new FactHistoryError(code, `fact ${record.factId}: ${code.toLowerCase().replace('_', ' ')}`, {
        factId: record.factId,
      });
    }
    throw error;
  }
  // The version moves only after the record landed: a sweep (or any writer) that read the profile
  // without the record then loses its conditional write instead of moving the due date past what
  // the record schedules. The due pair stays at today for the sweep to settle.
  const { enterprise } = await updateProfile(store, enterpriseId, today, () => ({}), {
    dueNoLaterThan: today,
  });
  const from = classify(before.input, today).tier;
  const to = classify(enterprise.input, today).tier;
  if (from !== to) {
    await appendEnterpriseEvent(store, enterpriseId, {
      at: record.recordedAt,
      key: eventKeys.factRecord(record.kind, record.factId),
      type: 'TIER_CHANGED',
      actor: who.actor,
      detail: { from, to, factId: record.factId, by: record.kind },
    });
  }
  const fact = enterprise.facts.find((f) => f.id === record.factId);
  if (fact === undefined) throw new Error(`fact ${record.factId} missing after it was recorded`);
  return { fact, enterprise };
}

export async function recordFact(
  store: Store,
  enterpriseId: string,
  details: FactDetails,
  who: Actor,
): Promise<FactChange> {
  const before = await requireEnterprise(store, enterpriseId);
  const record = factRecord(details, { factId: newFactId(who.now), recordedAt: who.now }, before.facts);
  return applyRecord(store, before, record, who);
}

export async function recordPayment(
  store: Store,
  enterpriseId: string,
  factId: string,
  payment: { paidOn: string },
  who: Actor,
): Promise<FactChange> {
  const before = await requireEnterprise(store, enterpriseId);
  const record = paymentRecord(before.facts, { factId, paidOn: payment.paidOn, recordedAt: who.now });
  return applyRecord(store, before, record, who);
}

export async function voidFact(
  store: Store,
  enterpriseId: string,
  factId: string,
  correction: { reason: string; replacedBy?: string | undefined },
  who: Actor,
): Promise<FactChange> {
  const before = await requireEnterprise(store, enterpriseId);
  const record = voidRecord(before.facts, {
    factId,
    reason: correction.reason,
    recordedAt: who.now,
    ...(correction.replacedBy === undefined ? {} : { replacedBy: correction.replacedBy }),
  });
  return applyRecord(store, before, record, who);
}

/** What a fact route answers: the fact, and the enterprise once its open application was settled. */
export interface SettledFactChange {
  readonly fact: FactView;
  readonly enterprise: EnterpriseView;
}

/**
 * Settles the enterprise's open application against the causes as the change left them (RULES.md
 * §6.1: a new cause ends it at once) and views the result as of the change's day.
 */
export async function settleFactChange(
  ports: Needs<'store' | 'clock' | 'workflow'>,
  change: FactChange,
  who: Actor,
): Promise<SettledFactChange> {
  const { enterprise } = await settleOpenApplication(ports, change.enterprise, new Date(who.now), who.actor);
  return { fact: factView(change.fact), enterprise: enterpriseView(enterprise, localDateIn(who.now)) };
}
