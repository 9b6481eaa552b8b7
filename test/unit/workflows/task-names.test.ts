import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TASK_NAMES,
  WORKFLOW_TASKS,
  functionNameFor,
  moduleForTask,
  taskForFunctionArn,
  taskForFunctionName,
} from '../../../workflows/task-names.ts';

describe('workflow task names', () => {
  it('maps every deployed function name back to its task, whatever the prefix', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
        fc.constantFrom(...TASK_NAMES),
        (prefix, task) => {
          expect(taskForFunctionName(functionNameFor(task, prefix))).toBe(task);
        },
      ),
    );
  });

  it('reads the function name out of a Lambda ARN, with or without a qualifier', () => {
    expect(taskForFunctionArn('arn:aws:lambda:ap-east-1:123456789012:function:cr-tally')).toBe('tally');
    expect(taskForFunctionArn('arn:aws-cn:lambda:cn-north-1:123456789012:function:cr-notify:live')).toBe(
      'notify',
    );
    expect(taskForFunctionArn('credit-repair-open-review')).toBe('openReview');
    expect(taskForFunctionArn('arn:aws:states:us-east-1:123456789012:stateMachine:cr-tally')).toBeUndefined();
    expect(taskForFunctionName('credit-repair-unknown')).toBeUndefined();
    expect(taskForFunctionName('credit-repair-notifyx')).toBeUndefined();
  });

  it('refuses names Lambda would refuse', () => {
    expect(() => functionNameFor('tally', 'has space')).toThrow(/invalid Lambda function name/);
    expect(() => functionNameFor('publishListingChange', 'x'.repeat(50))).toThrow(
      /invalid Lambda function name/,
    );
  });

  it('points every task at a handler module under functions/workflow/', () => {
    for (const task of TASK_NAMES) {
      expect(moduleForTask(task)).toBe(`functions/workflow/${WORKFLOW_TASKS[task].slug}.ts`);
    }
    expect(() => moduleForTask('toString')).toThrow(/unknown workflow task/);
  });
});
