import { linkSecretFromEnv } from '../adapters/secrets-manager/link-secret.ts';
import type { LinkSecret } from '../ports/link-secret.ts';
import { LINK_SECRET_ARN_ENV, LINK_SECRET_ENV } from './environment.ts';
import { installedPort } from './installed.ts';

const fromEnv = linkSecretFromEnv({ arnVariable: LINK_SECRET_ARN_ENV, valueVariable: LINK_SECRET_ENV });

/** The review-link secret: Secrets Manager by LINK_SECRET_ARN on AWS, LINK_SECRET here, else none. */
export const linkSecret = (): LinkSecret => installedPort('linkSecret') ?? fromEnv;
