/** Step Functions ARNs as AWS builds them; the partition follows the region (China: `aws-cn`). */
import { StepFunctionsError } from './errors.ts';

export interface AccountScope {
  readonly region: string;
  readonly accountId: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function stateMachineArn(scope: AccountScope, name: string): string {
  return `arn:${partitionOf(scope.region)}:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

export function executionArn(scope: AccountScope, stateMachineName: string, name: string): string {
  return `arn:${partitionOf(scope.region)}:states:${scope.region}:${scope.accountId}:execution:${stateMachineName}:${name}`;
}

const STATES_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(stateMachine|execution):(.+)$/;

/** Rejects what is not a Step Functions ARN of the expected kind, as AWS does with InvalidArn. */
export function assertArn(arn: string, kind: 'stateMachine' | 'execution'): void {
  const match = STATES_ARN.exec(arn);
  if (!match || match[1] !== kind) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
}

/**
 * Execution and state machine names: 1-80 characters without whitespace, brackets, wildcards,
 * punctuation that ARNs and URLs reserve, or control characters (the rule AWS documents).
 */
const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;

function hasControlCharacter(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export function assertName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_IN_NAME.test(name) || hasControlCharacter(name)) {
    throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
  }
}
