import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { DefinitionBody, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { walkStates, invokedFunction, isCallbackTask, type AslState, type AslStateMachine } from './asl.ts';
import { resolveCfnValue, type CfnResolveContext } from './cfn-resolve.ts';
import { LOCAL_ASL_ENVIRONMENT } from './rendered-asl.ts';
import {
  buildRepairApplicationDefinition,
  REPAIR_APPLICATION_STATE_MACHINE_ID,
} from './repair-application.ts';
import { buildSweepDefinition, SWEEP_STATE_MACHINE_ID, sweepFunctionNameFor } from './sweep.ts';
import {
  DEFAULT_FUNCTION_PREFIX,
  TASK_NAMES,
  functionNameFor,
  taskForFunctionArn,
  type TaskName,
} from './task-names.ts';

/**
 * Renders the RepairApplication definition to plain ASL for the embedded engine: built by the same
 * CDK code as the deployed state machine, with each task's function referenced by its deployed
 * name, and the CloudFormation intrinsics resolved with placeholder account and region. The
 * embedded runtime reads what these render from workflows/rendered/ (workflows/rendered-asl.ts).
 */

export interface RenderAslOptions {
  readonly functionPrefix?: string;
  readonly partition?: string;
  readonly region?: string;
  readonly accountId?: string;
}

export function renderAsl(options: RenderAslOptions = {}): AslStateMachine {
  const prefix = options.functionPrefix ?? DEFAULT_FUNCTION_PREFIX;
  const stack = new Stack(new App(), 'RenderRepairApplication');
  const functions = Object.fromEntries(
    TASK_NAMES.map((task) => [
      task,
      LambdaFunction.fromFunctionName(stack, `Fn-${task}`, functionNameFor(task, prefix)),
    ]),
  ) as Record<TaskName, IFunction>;
  const stateMachine = new StateMachine(stack, REPAIR_APPLICATION_STATE_MACHINE_ID, {
    definitionBody: DefinitionBody.fromChainable(buildRepairApplicationDefinition(stack, functions)),
  });
  const cfn = stateMachine.node.defaultChild as CfnStateMachine;
  const ctx: CfnResolveContext = { ...LOCAL_ASL_ENVIRONMENT, ...definedOnly(options) };
  return parseDefinition(resolveCfnValue(stack.resolve(cfn.definitionString), ctx));
}

/** The Sweep state machine as plain ASL, from the same CDK code as the deployed one. */
export function renderSweepAsl(options: RenderAslOptions = {}): AslStateMachine {
  const stack = new Stack(new App(), 'RenderSweep');
  const sweep = LambdaFunction.fromFunctionName(
    stack,
    'Fn-sweep',
    sweepFunctionNameFor(options.functionPrefix ?? DEFAULT_FUNCTION_PREFIX),
  );
  const stateMachine = new StateMachine(stack, SWEEP_STATE_MACHINE_ID, {
    definitionBody: DefinitionBody.fromChainable(buildSweepDefinition(stack, sweep)),
  });
  const cfn = stateMachine.node.defaultChild as CfnStateMachine;
  const ctx: CfnResolveContext = { ...LOCAL_ASL_ENVIRONMENT, ...definedOnly(options) };
  return parseDefinition(resolveCfnValue(stack.resolve(cfn.definitionString), ctx));
}

export function parseDefinition(definition: unknown): AslStateMachine {
  if (typeof definition !== 'string') {
    throw new Error(`state machine definition did not resolve to a string: ${JSON.stringify(definition)}`);
  }
  return JSON.parse(definition) as AslStateMachine;
}

function definedOnly(options: RenderAslOptions): Partial<CfnResolveContext> {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined && typeof v === 'string'),
  );
}

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;
const INTEGRATION_ARN = /^arn:[^:]+:states:::/;

/**
 * The definition with every Lambda ARN replaced by its task name and every service integration
 * in the `aws` partition, so two renderings that differ only in account, region, partition or
 * function prefix compare equal.
 */
export function normalizeAsl<T>(asl: T): T {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string' && LAMBDA_ARN.test(value)) return taskForFunctionArn(value) ?? value;
    if (typeof value === 'string' && INTEGRATION_ARN.test(value))
      return value.replace(INTEGRATION_ARN, 'arn:aws:states:::');
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    }
    return value;
  };
  return visit(asl) as T;
}

export interface TaskStateBinding {
  /** The state name, unique across the definition and its Map iterators. */
  readonly stateName: string;
  readonly task: TaskName;
  /** True when the state waits for SendTaskSuccess/SendTaskFailure with its task token. */
  readonly callback: boolean;
  /** The Map states (outermost first) the state runs inside. */
  readonly enclosing: readonly string[];
  readonly state: AslState;
}

/**
 * Which handler each Task state runs: what the embedded engine needs to override every Task state
 * with an in-process call (aws-local-stepfunctions keys its overrides by state name).
 */
export function taskStateBindings(asl: AslStateMachine): TaskStateBinding[] {
  const bindings: TaskStateBinding[] = [];
  for (const { name, state, enclosing } of walkStates(asl)) {
    const fn = invokedFunction(state);
    if (fn === undefined) continue;
    const task = taskForFunctionArn(fn);
    if (task === undefined) throw new Error(`state ${name} invokes ${fn}, which is no workflow task`);
    bindings.push({ stateName: name, task, callback: isCallbackTask(state), enclosing, state });
  }
  return bindings;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * The ASL of the one state machine in a synthesized CloudFormation template, with each function's
 * `Fn::GetAtt Arn` resolved from its FunctionName: what the deployed machine will run.
 */
export function aslFromTemplate(
  template: { Resources?: Record<string, TemplateResource> },
  environment: Omit<CfnResolveContext, 'ref' | 'getAtt'> = LOCAL_ASL_ENVIRONMENT,
  /** Which machine, by its logical id's start: the RepairApplication workflow unless given. */
  machineId: string = REPAIR_APPLICATION_STATE_MACHINE_ID,
): AslStateMachine {
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && logicalIdNames(id, machineId))
    .map(([, r]) => r);
  const [machine] = machines;
  if (machines.length !== 1 || machine === undefined) {
    throw new Error(`expected one ${machineId} state machine in the template, found ${machines.length}`);
  }
  const getAtt = (logicalId: string, attribute: string): string | undefined => {
    const resource = resources[logicalId];
    const name = resource?.Properties?.FunctionName;
    if (resource?.Type !== 'AWS::Lambda::Function' || attribute !== 'Arn' || typeof name !== 'string')
      return undefined;
    return `arn:${environment.partition}:lambda:${environment.region}:${environment.accountId}:function:${name}`;
  };
  return parseDefinition(resolveCfnValue(machine.Properties?.DefinitionString, { ...environment, getAtt }));
}

/** Whether a CDK logical id (construct path without separators, plus a hash) ends in `id`'s construct. */
function logicalIdNames(logicalId: string, id: string): boolean {
  return new RegExp(`${id}[0-9A-F]{8}$`).test(logicalId);
}
