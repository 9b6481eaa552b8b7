import { DEFAULT_FUNCTION_PREFIX } from './task-names.ts';

/**
 * The names the deployment and the embedded runtime give the two state machines and the sweep's
 * function, kept apart from the CDK definitions (workflows/repair-application.ts, workflows/sweep.ts)
 * so the embedded runtime can name them without loading aws-cdk-lib.
 */

export const REPAIR_APPLICATION_STATE_MACHINE_ID = 'RepairApplication';

export const SWEEP_STATE_MACHINE_ID = 'Sweep';

/** The sweep function's module; it exports `handler`, as the workflow tasks do. */
export const SWEEP_MODULE = 'functions/schedule/sweep.ts';

/** The sweep function's deployed name (the CDK app deploys it, the embedded runtime registers it). */
export const sweepFunctionNameFor = (prefix: string = DEFAULT_FUNCTION_PREFIX): string => `${prefix}-sweep`;
