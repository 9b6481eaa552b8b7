import {
  array,
  boolean,
  described,
  enum as enumOf,
  nullable,
  object,
  optional,
  string,
  schema,
} from '../../../domain/zod.ts';
import { Instant } from '../../../domain/dates.ts';
import { OpaqueId } from './common.ts';

/** An application's workflow (state machine graph and executions) on the wire. */
const ExecutionStatus = /* @__PURE__ */ schema(() =>
  enumOf(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
);

export const ApplicationWorkflow = /* @__PURE__ */ schema(() =>
  object({
    applicationId: OpaqueId,
    graph: described(
      object({
        startAt: string(),
        states: array(
          object({
            name: string(),
            type: string(),
            parent: described(optional(string()), 'the Map or Parallel state whose iterations run it'),
            end: boolean(),
          }),
        ),
        edges: array(
          object({
            from: string(),
            to: string(),
            kind: enumOf(['next', 'choice', 'default', 'catch']),
            errors: optional(array(string())),
          }),
        ),
      }),
      "the state machine's own definition (DescribeStateMachine) as a graph",
    ),
    executions: array(
      object({ name: string(), status: ExecutionStatus, startedAt: Instant, stoppedAt: optional(Instant) }),
    ),
    status: described(
      nullable(ExecutionStatus),
      'the latest execution’s status; null when no history is kept',
    ),
    visited: described(array(string()), 'states entered, from the execution history'),
    current: described(array(string()), 'states entered and not yet left while the execution runs'),
    transitions: described(
      array(object({ from: string(), to: string() })),
      'each step from one state into the next that an execution took',
    ),
    historyAvailable: boolean(),
  }),
);
