import type { ExecutionRecord, ExecutionStatus, WorkflowClient } from '../../ports/workflow.ts';
import type { StoreReader } from '../../ports/store/store.ts';
import { requireApplication } from './records.ts';

/**
 * GET /applications/{id}/workflow: the application's workflow drawn from the state machine's own
 * definition (DescribeStateMachine) with the states its executions entered, from their history
 * (DescribeExecution, GetExecutionHistory), on AWS and on the embedded engine alike. The graph is
 * read from the Amazon States Language, so a changed state machine draws itself.
 *
 * An application has one execution, named by its id, and a later one when the sweep or a restart
 * of the embedded runtime started it again (its record names it): visited states are those of
 * both, current states those entered and not left in the latest one while it runs. A history the
 * service no longer keeps (90 days after the end on AWS; the embedded engine keeps executions in
 * memory) leaves the diagram without highlights and says so.
 */

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface WorkflowState {
  readonly name: string;
  readonly type: string;
  /** The Map or Parallel state whose iteration runs this state. */
  readonly parent?: string;
  /** The state ends its (sub-)workflow. */
  readonly end: boolean;
}

export interface WorkflowEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Errors a catch edge takes. */
  readonly errors?: readonly string[];
}

export interface WorkflowGraph {
  readonly startAt: string;
  readonly states: readonly WorkflowState[];
  readonly edges: readonly WorkflowEdge[];
}

export interface WorkflowView {
  readonly applicationId: string;
  readonly graph: WorkflowGraph;
  readonly executions: readonly {
    readonly name: string;
    readonly status: ExecutionStatus;
    readonly startedAt: string;
    readonly stoppedAt?: string;
  }[];
  /** The latest execution's status; null when no history is kept. */
  readonly status: ExecutionStatus | null;
  /** States entered, in the order first entered. */
  readonly visited: readonly string[];
  /** States entered and not yet left in the running execution (a wait, a map iteration). */
  readonly current: readonly string[];
  /** Each step from one state into the next that an execution took (a state entered after another). */
  readonly transitions: readonly { readonly from: string; readonly to: string }[];
  readonly historyAvailable: boolean;
}

type AslStates = Record<string, Record<string, unknown>>;

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The graph of an ASL definition: every state (nested Map/Parallel states too) and every transition. */
export function workflowGraph(definition: string): WorkflowGraph {
  const asl = asRecord(JSON.parse(definition));
  const states: WorkflowState[] = [];
  const edges: WorkflowEdge[] = [];
  const walk = (machine: Record<string, unknown>, parent: string | undefined): void => {
    for (const [name, raw] of Object.entries(asRecord(machine.States) as AslStates)) {
      const state = asRecord(raw);
      const type = String(state.Type);
      const end = state.End === true || type === 'Succeed' || type === 'Fail';
      states.push({ name, type, end, ...(parent === undefined ? {} : { parent }) });
      if (typeof state.Next === 'string') edges.push({ from: name, to: state.Next, kind: 'next' });
      if (Array.isArray(state.Choices)) {
        for (const choice of state.Choices) {
          const next = asRecord(choice).Next;
          if (typeof next === 'string') edges.push({ from: name, to: next, kind: 'choice' });
        }
      }
      if (typeof state.Default === 'string') edges.push({ from: name, to: state.Default, kind: 'default' });
      if (Array.isArray(state.Catch)) {
        for (const rawCatcher of state.Catch) {
          const catcher = asRecord(rawCatcher);
          if (typeof catcher.Next !== 'string') continue;
          const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.map(String) : [];
          edges.push({ from: name, to: catcher.Next, kind: 'catch', errors });
        }
      }
      for (const inner of [state.ItemProcessor, state.Iterator]) {
        if (inner !== undefined) walk(asRecord(inner), name);
      }
      if (Array.isArray(state.Branches)) for (const branch of state.Branches) walk(asRecord(branch), name);
    }
  };
  walk(asl, undefined);
  return { startAt: String(asl.StartAt), states, edges };
}

/** Visited states across the executions (oldest first), and what the latest one is inside now. */
export function progressOf(
  executions: readonly ExecutionRecord[],
): Pick<WorkflowView, 'visited' | 'current' | 'status' | 'transitions'> {
  const visited: string[] = [];
  const transitions = new Map<string, { from: string; to: string }>();
  for (const execution of executions) {
    let previous: string | undefined;
    for (const event of execution.events) {
      if (event.kind !== 'ENTERED') continue;
      if (!visited.includes(event.state)) visited.push(event.state);
      if (previous !== undefined && previous !== event.state) {
        transitions.set(`${previous}\n${event.state}`, { from: previous, to: event.state });
      }
      previous = event.state;
    }
  }
  const latest = executions[executions.length - 1];
  if (latest === undefined) return { visited, current: [], status: null, transitions: [] };
  const open = new Map<string, number>();
  for (const event of latest.events) {
    open.set(event.state, (open.get(event.state) ?? 0) + (event.kind === 'ENTERED' ? 1 : -1));
  }
  const current =
    latest.status === 'RUNNING' ? [...open].filter(([, depth]) => depth > 0).map(([state]) => state) : [];
  return { visited, current, status: latest.status, transitions: [...transitions.values()] };
}

export async function applicationWorkflow(
  ports: { readonly store: StoreReader; readonly workflow: WorkflowClient },
  applicationId: string,
  /** Throws when the caller may not see the application of this enterprise; called before any workflow call. */
  authorize: (enterpriseId: string) => void,
): Promise<WorkflowView> {
  const record = await requireApplication(ports.store, applicationId);
  authorize(record.state.enterpriseId);
  const names = [...new Set([applicationId, record.executionName ?? applicationId])];
  const [definition, found] = await Promise.all([
    ports.workflow.definition(),
    Promise.all(names.map((name) => ports.workflow.execution(name))),
  ]);
  const executions = found
    .filter((e): e is ExecutionRecord => e !== undefined)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  return {
    applicationId,
    graph: workflowGraph(definition),
    executions: executions.map(({ name, status, startedAt, stoppedAt }) => ({
      name,
      status,
      startedAt,
      ...(stoppedAt === undefined ? {} : { stoppedAt }),
    })),
    ...progressOf(executions),
    historyAvailable: executions.length > 0,
  };
}
