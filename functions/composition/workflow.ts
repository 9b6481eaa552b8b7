import { SfnWorkflowClient } from '../adapters/sfn/workflow-client.ts';
import type { WorkflowClient } from '../ports/workflow.ts';
import { requiredEnv, STATE_MACHINE_ARN_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

/** The state machine of STATE_MACHINE_ARN (read at each call) through Step Functions. */
const deployed = new SfnWorkflowClient({ stateMachineArn: () => requiredEnv(STATE_MACHINE_ARN_ENV) });

export const workflow = (): WorkflowClient => installedPort('workflow') ?? deployed;
