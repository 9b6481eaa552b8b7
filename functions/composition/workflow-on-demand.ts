import { sfnOnDemand } from '../adapters/sfn/client-on-demand.ts';
import { SfnWorkflowClient } from '../adapters/sfn/workflow-client.ts';
import type { WorkflowClient } from '../ports/workflow.ts';
import { requiredEnv, STATE_MACHINE_ARN_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

/**
 * The state machine of STATE_MACHINE_ARN through Step Functions, the SDK loaded on the first call:
 * for handlers that call it only on some paths (a fact change that ends the open application, a
 * task that finds its wait resolved or its application closed, the sweep's expiries and restarts).
 * Their cold start and their other paths never load the Step Functions package.
 */
let deployed: WorkflowClient | undefined;

export const workflowOnDemand = (): WorkflowClient =>
  installedPort('workflow') ??
  (deployed ??= new SfnWorkflowClient({
    stateMachineArn: () => requiredEnv(STATE_MACHINE_ARN_ENV),
    sdk: sfnOnDemand,
  }));
