import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { sharedClient } from '../aws-clients.ts';

export const eventBridgeClient = sharedClient(() => new EventBridgeClient({}));
