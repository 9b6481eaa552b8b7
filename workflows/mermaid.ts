import {
  invokedFunction,
  isCallbackTask,
  type AslCatcher,
  type AslChoiceRule,
  type AslState,
  type AslStateMachine,
} from './asl.ts';
import { taskForFunctionArn } from './task-names.ts';

/**
 * Draws an ASL definition as a Mermaid stateDiagram-v2: Task states with the task they run and
 * their timeout, Choice states as choice nodes with one labelled edge per rule, Map states as
 * composite states holding their iterator, and every Catch as an edge labelled with its errors.
 */

const SECONDS_PER_DAY = 86_400;

export function aslToMermaid(asl: AslStateMachine): string {
  const lines = ['stateDiagram-v2', ...drawMachine(asl, '  ')];
  return `${lines.join('\n')}\n`;
}

function drawMachine(machine: AslStateMachine, indent: string): string[] {
  const lines = [`${indent}[*] --> ${machine.StartAt}`];
  for (const [name, state] of Object.entries(machine.States)) {
    lines.push(...drawState(name, state, indent));
  }
  return lines;
}

function drawState(name: string, state: AslState, indent: string): string[] {
  const lines: string[] = [];
  const inner = state.ItemProcessor ?? state.Iterator;
  if (state.Type === 'Choice') {
    lines.push(`${indent}state ${name} <<choice>>`);
    for (const rule of state.Choices ?? [])
      lines.push(`${indent}${name} --> ${rule.Next}: ${describeRule(rule)}`);
    if (state.Default) lines.push(`${indent}${name} --> ${state.Default}: otherwise`);
  } else if (inner) {
    lines.push(`${indent}state ${name} {`, ...drawMachine(inner, `${indent}  `), `${indent}}`);
  } else {
    const description = describeState(state);
    if (description) lines.push(`${indent}${name}: ${name}<br/>${description}`);
  }
  if (state.Next) lines.push(`${indent}${name} --> ${state.Next}`);
  if (state.End || state.Type === 'Fail' || state.Type === 'Succeed') lines.push(`${indent}${name} --> [*]`);
  for (const catcher of state.Catch ?? [])
    lines.push(`${indent}${name} --> ${catcher.Next}: ${describeCatch(catcher)}`);
  return lines;
}

function describeState(state: AslState): string | undefined {
  if (state.Type === 'Fail') return `fails with ${String(state.Error ?? 'an error')}`;
  const fn = invokedFunction(state);
  if (fn === undefined) return undefined;
  const task = taskForFunctionArn(fn) ?? fn;
  const facts = [isCallbackTask(state) ? `${task}, waits for its task token` : task];
  if (isCallbackTask(state) && state.TimeoutSeconds !== undefined)
    facts.push(`timeout ${formatSeconds(state.TimeoutSeconds)}`);
  const fixed = fixedArguments(state);
  if (fixed) facts.push(fixed);
  return facts.join(', ');
}

/** Literal payload values (e.g. an outcome's status and reason) tell RecordOutcome states apart. */
function fixedArguments(state: AslState): string | undefined {
  const payload = (state.Parameters?.Payload ?? state.Parameters) as Record<string, unknown> | undefined;
  if (!payload) return undefined;
  const literals = Object.entries(payload).filter(
    ([key, value]) => !key.endsWith('.$') && key !== 'FunctionName' && typeof value === 'string',
  );
  return literals.length === 0 ? undefined : literals.map(([, value]) => String(value)).join(' ');
}

function formatSeconds(seconds: number): string {
  return seconds % SECONDS_PER_DAY === 0 ? `${seconds / SECONDS_PER_DAY} d` : `${seconds} s`;
}

function describeCatch(catcher: AslCatcher): string {
  return `catch ${catcher.ErrorEquals.join(', ')}`;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  StringEquals: '=',
  NumericEquals: '=',
  BooleanEquals: '=',
  NumericLessThan: '<',
  NumericLessThanEquals: '≤',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '≥',
};

function describeRule(rule: AslChoiceRule): string {
  return describeCondition(rule);
}

function describeCondition(condition: Record<string, unknown>): string {
  if (Array.isArray(condition.And)) return condition.And.map(describeCondition).join(' and ');
  if (Array.isArray(condition.Or)) return condition.Or.map(describeCondition).join(' or ');
  if (typeof condition.Not === 'object' && condition.Not !== null) {
    return `not (${describeCondition(condition.Not as Record<string, unknown>)})`;
  }
  const variable = typeof condition.Variable === 'string' ? lastSegment(condition.Variable) : '?';
  for (const [operator, symbol] of Object.entries(COMPARISONS)) {
    if (operator in condition) return `${variable} ${symbol} ${String(condition[operator])}`;
  }
  const operator = Object.keys(condition).find((key) => key !== 'Variable' && key !== 'Next') ?? '?';
  return `${variable} ${operator} ${JSON.stringify(condition[operator])}`;
}

const lastSegment = (path: string): string => path.split('.').at(-1) ?? path;
