import { object, schema } from '../../domain/zod.ts';
import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { tallyStep, type TallyResult } from '../usecases/steps/tally.ts';
import { ApplicationId, Round } from './payloads.ts';
import { retryableOnTransient } from './transient-errors.ts';

const Payload = /* @__PURE__ */ schema(() => object({ applicationId: ApplicationId, round: Round }));

/** Tally: ends the round → `{result, round}` (the next round when changes were requested). */
export const handler = retryableOnTransient(async (event: unknown): Promise<TallyResult> => {
  const input = Payload.parse(event);
  setApplicationCorrelation(input.applicationId);
  return tallyStep({ store: store(), clock: clock() }, input);
});
