import { sfnAtStart } from '../adapters/sfn/client.ts';
import { SfnWorkflowClient } from '../adapters/sfn/workflow-client.ts';
import type { WorkflowClient } from '../ports/workflow.ts';
import { requiredEnv, STATE_MACHINE_ARN_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

/**
 * The state machine of STATE_MACHINE_ARN (read at each call) through Step Functions, the SDK
 * loaded with the function: for handlers that call it on every request (start, submit, decide,
 * withdraw). Handlers that call it only on some paths take workflow-on-demand.ts instead.
 */
let deployed: WorkflowClient | undefined;

export const workflow = (): WorkflowClient =>
  installedPort('workflow') ??
  (deployed ??= new SfnWorkflowClient({
    stateMachineArn: () => requiredEnv(STATE_MACHINE_ARN_ENV),
    sdk: sfnAtStart,
  }));
