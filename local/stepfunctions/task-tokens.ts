/**
 * Task tokens of `.waitForTaskToken` tasks: minted per call, resolved by SendTaskSuccess or
 * SendTaskFailure, and remembered after they close so a late callback gets the error AWS gives
 * (TaskTimedOut), not TaskDoesNotExist.
 */
import { randomBytes } from 'node:crypto';
import { StepFunctionsError } from './errors.ts';

/** 256 random bits, base64url: 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_TOKEN_LENGTH = 2048;

export type TaskTokenStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CLOSED';

/** A callback failure as the state machine sees it: `name` is the error Retry/Catch match. */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * Ends a task whose execution was stopped or whose Map/Parallel state already failed. The library
 * reads `isRetryable`/`isCatchable`, so no Retry or Catch of the definition runs it again.
 */
export class TaskClosedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;

  constructor() {
    super('The task was closed because its execution stopped');
    this.name = 'States.Runtime';
  }
}

export interface TaskTokenEntry {
  readonly token: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly status: TaskTokenStatus;
  /** Settles when the token does; closed tokens reject with TaskClosedError. */
  readonly result: Promise<unknown>;
}

interface MutableEntry extends TaskTokenEntry {
  status: TaskTokenStatus;
  resolve(value: unknown): void;
  reject(reason: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export interface OpenTaskToken {
  readonly executionArn: string;
  readonly stateName: string;
  /** Closes the token as timed out after this long, when given. */
  readonly timeoutSeconds?: number;
}

export function mintTaskToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export class TaskTokenBook {
  readonly #entries = new Map<string, MutableEntry>();

  open(request: OpenTaskToken): TaskTokenEntry {
    const token = mintTaskToken();
    let resolve: (value: unknown) => void = () => undefined;
    let reject: (reason: Error) => void = () => undefined;
    const promise = new Promise<unknown>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    // Settling may come before the engine awaits (a callback during the invocation); that is handled.
    promise.catch(() => undefined);
    const entry: MutableEntry = {
      token,
      executionArn: request.executionArn,
      stateName: request.stateName,
      status: 'PENDING',
      result: promise,
      resolve,
      reject,
      timer: undefined,
    };
    if (request.timeoutSeconds !== undefined) {
      // The library's own timer fails the state with States.Timeout at the same moment; this one
      // only makes later callbacks answer TaskTimedOut.
      entry.timer = setTimeout(() => this.#close(entry, 'TIMED_OUT'), request.timeoutSeconds * 1000);
      entry.timer.unref();
    }
    this.#entries.set(token, entry);
    return entry;
  }

  /** The open entry of a token, or the error AWS answers for it. */
  pending(token: string): TaskTokenEntry {
    return this.#pending(token);
  }

  succeed(token: string, output: unknown): TaskTokenEntry {
    const entry = this.#pending(token);
    this.#finish(entry, 'SUCCEEDED');
    entry.resolve(output);
    return entry;
  }

  fail(token: string, error: string, cause: string): TaskTokenEntry {
    const entry = this.#pending(token);
    this.#finish(entry, 'FAILED');
    entry.reject(new TaskFailure(error, cause));
    return entry;
  }

  /** A failed invocation ends the task: its token can no longer be used. */
  failedToStart(token: string): void {
    const entry = this.#entries.get(token);
    if (entry?.status === 'PENDING') this.#finish(entry, 'FAILED');
  }

  /** Closes every open token that matches; their tasks end with TaskClosedError. */
  closeWhere(matches: (entry: TaskTokenEntry) => boolean): number {
    let closed = 0;
    for (const entry of this.#entries.values()) {
      if (entry.status === 'PENDING' && matches(entry)) {
        this.#close(entry, 'CLOSED');
        closed += 1;
      }
    }
    return closed;
  }

  /** Forgets the tokens of executions that are gone. */
  forget(matches: (entry: TaskTokenEntry) => boolean): void {
    for (const [token, entry] of this.#entries) {
      if (matches(entry)) {
        if (entry.status === 'PENDING') this.#close(entry, 'CLOSED');
        this.#entries.delete(token);
      }
    }
  }

  #pending(token: string): MutableEntry {
    if (token.length < 1 || token.length > MAX_TOKEN_LENGTH) {
      throw new StepFunctionsError('ValidationException', 'taskToken must be 1 to 2048 characters');
    }
    if (!TOKEN_PATTERN.test(token)) throw new StepFunctionsError('InvalidToken', 'Invalid token');
    const entry = this.#entries.get(token);
    if (!entry) throw new StepFunctionsError('TaskDoesNotExist', 'Task does not exist anymore');
    if (entry.status !== 'PENDING') throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
    return entry;
  }

  #close(entry: MutableEntry, status: 'TIMED_OUT' | 'CLOSED'): void {
    if (entry.status !== 'PENDING') return;
    this.#finish(entry, status);
    if (status === 'CLOSED') entry.reject(new TaskClosedError());
  }

  #finish(entry: MutableEntry, status: TaskTokenStatus): void {
    entry.status = status;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
