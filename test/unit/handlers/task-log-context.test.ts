import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../functions/observability/logger.ts';
import { retryableOnTransient } from '../../../functions/workflow/transient-errors.ts';
import { handler as tally } from '../../../functions/workflow/tally.ts';

/**
 * A workflow task's log lines name the function and the request of the invocation that wrote
 * them (the Lambda context), as the API handlers' and the sweep's do.
 */

const contextOf = (functionName: string, awsRequestId: string): Context =>
  ({
    functionName,
    awsRequestId,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    callbackWaitsForEmptyEventLoop: true,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/** The JSON lines written to stdout while `run` runs. */
async function linesOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const text of String(chunk).split('\n')) {
      if (text.startsWith('{')) lines.push(JSON.parse(text) as Record<string, unknown>);
    }
    return true;
  });
  try {
    await run().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('a workflow task invocation', () => {
  it('gives the logger its Lambda context, each invocation its own', async () => {
    const task = retryableOnTransient(async (event: { step: string }) => {
      logger.info('task step', { step: event.step });
      return event.step;
    });
    const lines = await linesOf(async () => {
      await task({ step: 'one' }, contextOf('credit-repair-tally', 'request-1'));
      await task({ step: 'two' }, contextOf('credit-repair-notify', 'request-2'));
    });
    const steps = lines.filter((line) => line.message === 'task step');
    expect(steps.map((line) => [line.step, line.function_name, line.function_request_id])).toEqual([
      ['one', 'credit-repair-tally', 'request-1'],
      ['two', 'credit-repair-notify', 'request-2'],
    ]);
  });

  it('is what every task handler runs through (tally, with the context the runtime passes)', () => {
    // A task's export takes the Lambda context as its second argument.
    expect(tally.length).toBe(2);
  });
});
