import { enum as enumOf, int, minLength, object, optional, string } from '../../domain/zod.ts';
import { PARTIES } from '../../domain/vocabulary.ts';

/**
 * The payload pieces the state machine sends its task handlers (docs/architecture.md, "The state
 * machine contract"), parsed with zod/mini, the smallest bundle.
 */

export const ApplicationId = string().check(minLength(1));
export const Round = int();
export const TaskToken = string().check(minLength(1));
export const PartyName = enumOf(PARTIES);
/** The waiting execution's name (absent from payloads of executions started before it was sent). */
export const ExecutionName = optional(string().check(minLength(1)));

export const ApplicationPayload = object({ applicationId: ApplicationId });
