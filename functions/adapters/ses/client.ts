import { SESv2Client } from '@aws-sdk/client-sesv2';
import { sharedClient } from '../aws-clients.ts';

export const sesClient = sharedClient(() => new SESv2Client({}));
