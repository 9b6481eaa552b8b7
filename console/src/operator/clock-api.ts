import { localDateIn } from '../../../domain/dates.ts';
import { request } from '../api/client.ts';
import { invalidate, useQuery } from '../api/query.ts';

/** The embedded runtime's controls (CONTRACT.md, "Embedded runtime controls"): never in the AWS build. */

export interface SimulatedNow {
  readonly now: string;
}

export const CLOCK_KEY = 'local:clock';

export const getClock = async (): Promise<SimulatedNow> =>
  (await request<SimulatedNow>('GET', '/_local/clock', { anonymous: true })).data;

export async function moveClock(now: string): Promise<SimulatedNow> {
  const reply = await request<SimulatedNow>('POST', '/_local/clock', { body: { now }, anonymous: true });
  // Everything dated may read differently now: deadlines, eligibility, overdue marks.
  await invalidate('');
  return reply.data;
}

export const runSweep = async (): Promise<Record<string, unknown>> =>
  (await request<Record<string, unknown>>('POST', '/_local/sweep', { anonymous: true })).data;

export function useSimulatedClock() {
  return useQuery(CLOCK_KEY, getClock, { refetchMs: 15_000 });
}

export function useSimulatedToday(): string | undefined {
  const clock = useSimulatedClock();
  return clock.data === undefined ? undefined : localDateIn(clock.data.now);
}
