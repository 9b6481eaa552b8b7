import { nowIso } from '../../composition/clock.ts';
import { ConflictError } from '../../ports/store/errors.ts';
import { keys } from '../../ports/store/keys.ts';
import type { TableRef } from './table.ts';
import { getItem, putNew } from './writes.ts';

/**
 * Memoized workflow steps (DESIGN.md principle 3): a step's result is recorded once under
 * STEP#<step>#<round>, and every later run of the same step (a retry, a redrive, a restarted
 * execution) returns the record instead of acting again.
 *
 * `fn` must itself be safe to run twice, because two concurrent first runs both get to run it; only
 * one result is recorded and both callers return that one. Results are stored as DynamoDB values,
 * so they must be plain data (no Dates, no class instances, no undefined inside arrays).
 */
export async function memoizedStep<T>(
  table: TableRef,
  applicationId: string,
  step: string,
  round: number,
  fn: () => Promise<T>,
): Promise<T> {
  const key = keys.step(applicationId, step, round);
  const recorded = await getItem<StepRecord<T>>(table, key);
  if (recorded) return recorded.result;
  const result = await fn();
  try {
    await putNew(table, { ...key, step, round, result, recordedAt: nowIso() });
    return result;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const winner = await getItem<StepRecord<T>>(table, key);
    if (!winner) throw error;
    return winner.result;
  }
}

/** Reads a step's recorded result without running anything (for status views and the sweep). */
export async function recordedStep<T>(
  table: TableRef,
  applicationId: string,
  step: string,
  round: number,
): Promise<T | undefined> {
  const recorded = await getItem<StepRecord<T>>(table, keys.step(applicationId, step, round));
  return recorded?.result;
}

interface StepRecord<T> {
  [attribute: string]: unknown;
  pk: string;
  sk: string;
  step: string;
  round: number;
  result: T;
  recordedAt: string;
}
