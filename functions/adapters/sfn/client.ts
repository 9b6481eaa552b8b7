import * as sfn from '@aws-sdk/client-sfn';
import { sfnSdk, sharedSfnClient } from './sdk.ts';

/** The Step Functions SDK loaded with the function: for handlers that call it on every request. */
export const sfnAtStart = sfnSdk(() => sfn);

/** The shared Step Functions client (built on first use, like every SDK client here). */
export const sfnClient = () => sharedSfnClient(sfn);
