import { sfnSdk } from './sdk.ts';

/**
 * The Step Functions SDK loaded on the first call: for handlers that call Step Functions only on
 * some paths (a fact change that ends an open application, a task that finds its wait already
 * resolved). The package stays out of the bundle's static imports (the Lambda runtime provides
 * it), so the cold start of the other paths does not pay for it.
 */
export const sfnOnDemand = sfnSdk(() => import('@aws-sdk/client-sfn'));
