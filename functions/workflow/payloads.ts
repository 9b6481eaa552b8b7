import { enum as enumOf, int, minLength, object, optional, string, schema } from '../../domain/zod.ts';
import { PARTIES } from '../../domain/vocabulary.ts';

/**
 * The payload pieces the state machine sends its task handlers (docs/architecture.md, "The state
 * machine contract"), parsed with zod/mini, the smallest bundle.
 */

export const ApplicationId = /* @__PURE__ */ schema(() => string().check(minLength(1)));
export const Round = /* @__PURE__ */ schema(() => int());
export const TaskToken = /* @__PURE__ */ schema(() => string().check(minLength(1)));
export const PartyName = /* @__PURE__ */ schema(() => enumOf(PARTIES));
/** The waiting execution's name (absent from payloads of executions started before it was sent). */
export const ExecutionName = /* @__PURE__ */ schema(() => optional(string().check(minLength(1))));

export const ApplicationPayload = /* @__PURE__ */ schema(() => object({ applicationId: ApplicationId }));
