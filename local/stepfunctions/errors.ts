/**
 * The Step Functions API errors the engine raises, by their wire names, so that clients get the
 * same modeled exceptions (`TaskDoesNotExist`, `TaskTimedOut`, ...) as from AWS.
 */
import { AwsServiceError } from '../aws-json-server.ts';

export type StepFunctionsErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException';

export class StepFunctionsError extends AwsServiceError {
  declare readonly name: StepFunctionsErrorName;

  constructor(name: StepFunctionsErrorName, message: string) {
    super(name, message, 400);
  }
}
