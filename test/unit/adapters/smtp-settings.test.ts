import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailerFromEnv } from '../../../functions/composition/mailer.ts';
import { SmtpMailer } from '../../../functions/adapters/smtp/mailer.ts';
import { SMTP_SECRET_ARN_ENV } from '../../../functions/composition/environment.ts';
import {
  SMTP_SECRET_TEMPLATE,
  smtpSettings,
} from '../../../functions/adapters/secrets-manager/smtp-settings.ts';
import { AwsJsonServer } from '../../../local/aws-json-server.ts';
import { useAwsEnv } from '../../support/aws-env.ts';

/**
 * The China profile's mail settings: one Secrets Manager secret, read over the real Secrets Manager
 * protocol (a loopback JSON server), once per container; an unfilled secret is refused by name.
 */

const FILLED = 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:credit-repair/smtp-Filled';
const UNFILLED = 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:credit-repair/smtp-Unfilled';
const NOT_JSON = 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:credit-repair/smtp-NotJson';
const BINARY = 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:credit-repair/smtp-Binary';
const values: Record<string, unknown> = {
  [FILLED]: { host: 'smtp.example.cn', port: 465, secure: true, username: 'no-reply', password: 'p4ss' },
  [UNFILLED]: { ...SMTP_SECRET_TEMPLATE, password: 'generated-placeholder' },
};

let server: AwsJsonServer;
let restoreEnv: () => void;
const asked: string[] = [];

beforeAll(async () => {
  server = new AwsJsonServer({
    targetPrefix: 'secretsmanager',
    protocolVersion: '1.1',
    operations: {
      GetSecretValue: (request) => {
        const arn = String(request['SecretId']);
        asked.push(arn);
        if (arn === NOT_JSON) return { ARN: arn, Name: 'credit-repair/smtp', SecretString: 'p4ss-not-json' };
        if (arn === BINARY) {
          // The JSON protocol carries a binary secret base64-encoded.
          const json = JSON.stringify(values[FILLED]);
          return { ARN: arn, Name: 'credit-repair/smtp', SecretBinary: Buffer.from(json).toString('base64') };
        }
        return { ARN: arn, Name: 'credit-repair/smtp', SecretString: JSON.stringify(values[arn]) };
      },
    },
  });
  restoreEnv = useAwsEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: await server.start() });
});

afterAll(async () => {
  restoreEnv();
  await server.close();
});

describe('SMTP settings from Secrets Manager', () => {
  it('are read once per container and parsed', async () => {
    expect(await smtpSettings(FILLED)).toEqual(values[FILLED]);
    expect(await smtpSettings(FILLED)).toEqual(values[FILLED]);
    expect(asked.filter((arn) => arn === FILLED)).toHaveLength(1);
  });

  it('refuse the template the stack creates until the deployer fills it in, naming no value', async () => {
    const error = (await smtpSettings(UNFILLED).then(
      () => new Error('resolved'),
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/not filled in/);
    expect(error.message).not.toContain('generated-placeholder');
  });

  it('refuse a secret that is not JSON without quoting it', async () => {
    const error = (await smtpSettings(NOT_JSON).then(
      () => new Error('resolved'),
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/not filled in/);
    expect(error.message).not.toContain('p4ss');
  });

  it('read a binary secret as its UTF-8 JSON', async () => {
    expect(await smtpSettings(BINARY)).toEqual(values[FILLED]);
  });

  it('make the deployed mailer SMTP when SMTP_SECRET_ARN is set, SES otherwise', () => {
    const env = { SENDER_EMAIL: 'no-reply@mail.customs.example.cn' };
    expect(mailerFromEnv({ ...env, [SMTP_SECRET_ARN_ENV]: FILLED })).toBeInstanceOf(SmtpMailer);
    expect(mailerFromEnv(env)).not.toBeInstanceOf(SmtpMailer);
  });
});
