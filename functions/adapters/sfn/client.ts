import { SFNClient } from '@aws-sdk/client-sfn';
import { sharedClient } from '../aws-clients.ts';

export const sfnClient = sharedClient(() => new SFNClient({}));
