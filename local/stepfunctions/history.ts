/**
 * An execution's event history in the shape GetExecutionHistory returns, and its count of state
 * transitions (what a Standard workflow is billed for: every state entered, every retry).
 *
 * Two sources write here: the library's event log (states entered and exited, map iterations,
 * the execution's end), read asynchronously, and the engine's task layer (tasks scheduled,
 * submitted, succeeded, failed), written synchronously.
 */
import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';

export type LibraryEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type HistoryDetails = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp' | 'type'>;

/** The end of an execution as the engine decided it (stop, or the library's own end). */
export interface AbortDetails {
  readonly error?: string;
  readonly cause?: string;
}

const ENTERED: Readonly<Record<string, HistoryEventType>> = {
  Task: 'TaskStateEntered',
  Map: 'MapStateEntered',
  Parallel: 'ParallelStateEntered',
  Pass: 'PassStateEntered',
  Wait: 'WaitStateEntered',
  Choice: 'ChoiceStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
};

const EXITED: Readonly<Record<string, HistoryEventType>> = {
  Task: 'TaskStateExited',
  Map: 'MapStateExited',
  Parallel: 'ParallelStateExited',
  Pass: 'PassStateExited',
  Wait: 'WaitStateExited',
  Choice: 'ChoiceStateExited',
  Succeed: 'SucceedStateExited',
};

function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function causeText(cause: unknown): string {
  return typeof cause === 'string' ? cause : jsonText(cause);
}

export interface TaskResource {
  readonly resourceType: string;
  readonly resource: string;
}

export class ExecutionHistory {
  readonly #events: HistoryEvent[] = [];
  readonly #now: () => Date;
  readonly #taskResource: (stateName: string) => TaskResource;
  #transitions = 0;
  /** States entered and not exited yet, oldest first (a Map's iterations each add theirs). */
  readonly #open: string[] = [];

  constructor(now: () => Date, taskResource: (stateName: string) => TaskResource) {
    this.#now = now;
    this.#taskResource = taskResource;
  }

  get events(): readonly HistoryEvent[] {
    return this.#events;
  }

  get transitions(): number {
    return this.#transitions;
  }

  /** The states the execution is in now, outermost first (a task being retried stays in). */
  get openStates(): readonly string[] {
    return [...this.#open];
  }

  append(type: HistoryEventType, details: HistoryDetails = {}): void {
    const id = this.#events.length + 1;
    this.#events.push({ timestamp: this.#now(), type, id, previousEventId: id - 1, ...details });
  }

  /**
   * Records one event of the library's log. Returns the name of a Map or Parallel state that
   * failed, so the engine can close the task tokens still open inside it.
   */
  record(event: LibraryEvent, aborted: AbortDetails): { failedContainer?: string } {
    switch (event.type) {
      case 'ExecutionStarted':
        this.append('ExecutionStarted', {
          executionStartedEventDetails: { input: jsonText(event.input), inputDetails: { truncated: false } },
        });
        break;
      case 'ExecutionSucceeded':
        this.append('ExecutionSucceeded', {
          executionSucceededEventDetails: {
            output: jsonText(event.output),
            outputDetails: { truncated: false },
          },
        });
        break;
      case 'ExecutionFailed':
        this.append('ExecutionFailed', {
          executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
        });
        break;
      case 'ExecutionAborted':
        this.append('ExecutionAborted', { executionAbortedEventDetails: { ...aborted } });
        break;
      case 'ExecutionTimeout':
        this.append('ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout' } });
        break;
      case 'StateEntered': {
        this.#transitions += 1;
        this.#open.push(event.state.name);
        const type = ENTERED[event.state.type];
        if (type) {
          this.append(type, {
            stateEnteredEventDetails: { name: event.state.name, input: jsonText(event.state.input) },
          });
        }
        break;
      }
      case 'StateExited': {
        const at = this.#open.lastIndexOf(event.state.name);
        // A Map or Parallel state leaves with whatever its iterations left open (a failed one's).
        if (at !== -1)
          this.#open.splice(at, event.state.type === 'Map' || event.state.type === 'Parallel' ? Infinity : 1);
        const type = EXITED[event.state.type];
        if (type) {
          this.append(type, {
            stateExitedEventDetails: { name: event.state.name, output: jsonText(event.state.output) },
          });
        }
        break;
      }
      case 'StateRetried':
        // A retry runs the state again: another billed transition; its task events follow.
        this.#transitions += 1;
        break;
      case 'StateFailed':
        return this.#stateFailed(event);
      case 'MapIterationStarted':
        this.append('MapIterationStarted', {
          mapIterationStartedEventDetails: { name: event.parentState.name, index: event.index },
        });
        break;
      case 'MapIterationSucceeded':
        this.append('MapIterationSucceeded', {
          mapIterationSucceededEventDetails: { name: event.parentState.name, index: event.index },
        });
        break;
      case 'MapIterationFailed':
        this.append('MapIterationFailed', {
          mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index },
        });
        break;
      default:
        // StateCaught and Parallel branch events have no counterpart in AWS's history.
        break;
    }
    return {};
  }

  #stateFailed(event: Extract<LibraryEvent, { type: 'StateFailed' }>): { failedContainer?: string } {
    const { name, type } = event.state;
    if (type === 'Map' || type === 'Parallel') {
      this.append(type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
      return { failedContainer: name };
    }
    // The library's own task timer fired: the task layer never sees this, so it is recorded here.
    if (type === 'Task' && event.Error === 'States.Timeout') {
      this.append('TaskTimedOut', {
        taskTimedOutEventDetails: { ...this.#taskResource(name), error: 'States.Timeout' },
      });
    }
    return {};
  }
}
