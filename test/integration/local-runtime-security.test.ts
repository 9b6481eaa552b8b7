import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../local/runtime.ts';
import { send } from '../support/http-client.ts';
import { applyAndSubmit, devToken, type Caller } from '../support/review-flow.ts';

/**
 * The embedded runtime as a hostile neighbour meets it: another local user reading the data
 * folder, a web page in the developer's browser talking to the loopback services directly, a
 * DNS-rebinding page calling the gateway under its own name.
 */

let dataDir: string;
let runtime: Runtime;
let endpoints: { dynamodb: string; s3: string; sfn: string };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-security-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
  endpoints = {
    dynamodb: process.env['AWS_ENDPOINT_URL_DYNAMODB'] ?? '',
    s3: process.env['AWS_ENDPOINT_URL_S3'] ?? '',
    sfn: process.env['AWS_ENDPOINT_URL_SFN'] ?? '',
  };
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const scan = JSON.stringify({ TableName: 'credit-repair' });
const dynamoHeaders = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.Scan',
};

const dynamoWith = (credentials: { accessKeyId: string; secretAccessKey: string }): DynamoDBClient =>
  new DynamoDBClient({ endpoint: endpoints.dynamodb, region: 'us-east-1', credentials, maxAttempts: 1 });

describe('the embedded services trust only this runtime', () => {
  it('dynalite refuses unsigned requests, a well-known key and browsers; signed with the runtime key it answers', async () => {
    const unsigned = await fetch(endpoints.dynamodb, { method: 'POST', headers: dynamoHeaders, body: scan });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).not.toContain('LINK#');

    const wellKnown = dynamoWith({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    await expect(wellKnown.send(new ScanCommand({ TableName: 'credit-repair' }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    wellKnown.destroy();

    const fromPage = await fetch(endpoints.dynamodb, {
      method: 'POST',
      headers: { ...dynamoHeaders, origin: 'http://attacker.example' },
      body: scan,
    });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();

    const own = dynamoWith({
      accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? '',
      secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? '',
    });
    expect((await own.send(new ScanCommand({ TableName: 'credit-repair', Limit: 1 }))).Count).toBe(1);
    own.destroy();
  });

  it('the Step Functions endpoint and the object store refuse unsigned requests; no CORS wildcard', async () => {
    const sfn = await fetch(endpoints.sfn, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
      },
      body: '{}',
    });
    expect(sfn.status).toBe(403);

    const listing = await fetch(`${endpoints.s3}/credit-repair-evidence`, {
      headers: { origin: 'http://attacker.example' },
    });
    expect(listing.status).toBe(403);
    expect(listing.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${endpoints.s3}/credit-repair-evidence/x`, {
      method: 'OPTIONS',
      headers: { origin: 'http://attacker.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const fromConsole = await fetch(`${endpoints.s3}/credit-repair-evidence/x`, {
      method: 'OPTIONS',
      headers: { origin: new URL(runtime.url).origin, 'access-control-request-method': 'POST' },
    });
    expect(fromConsole.headers.get('access-control-allow-origin')).toBe(new URL(runtime.url).origin);
  });
});

describe('the gateway answers only for its own names', () => {
  it('a request for another Host (DNS rebinding) gets 421, even for /_local/token', async () => {
    const rebound = await send(runtime.url, 'GET', '/_local/token?role=officer', {
      headers: { host: 'attacker.example' },
    });
    expect(rebound.status).toBe(421);
    expect(rebound.body.code).toBe('MISDIRECTED_REQUEST');
    expect(rebound.text).not.toContain('token"');
    const port = new URL(runtime.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await send(runtime.url, 'GET', '/health', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses to listen beyond loopback unless exposed; exposed, /_local/* needs the operator key', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'local-exposed-'));
    await expect(startRuntime({ dataDir: elsewhere, host: '0.0.0.0', port: 0, quiet: true })).rejects.toThrow(
      /expose/,
    );
    const exposed = await startRuntime({
      dataDir: elsewhere,
      port: 0,
      quiet: true,
      demo: false,
      sweepIntervalMs: 3_600_000,
      expose: { publicHost: 'dev.example.test' },
    });
    try {
      const base = `http://127.0.0.1:${new URL(exposed.url).port}`;
      const named = { host: `dev.example.test:${new URL(exposed.url).port}` };
      expect((await send(base, 'GET', '/health', { headers: named })).status).toBe(200);
      expect((await send(base, 'GET', '/health', { headers: { host: 'attacker.example' } })).status).toBe(
        421,
      );
      const withoutKey = await send(base, 'GET', '/_local/token?role=officer', { headers: named });
      expect(withoutKey.status).toBe(401);
      const wrongKey = await send(base, 'GET', '/_local/token?role=officer', {
        headers: named,
        token: 'guess',
      });
      expect(wrongKey.status).toBe(401);
      const withKey = await send(base, 'GET', '/_local/token?role=officer', {
        headers: named,
        token: exposed.operatorKey ?? '',
      });
      expect(withKey.status).toBe(200);
      expect(exposed.url).toContain('dev.example.test');
    } finally {
      await exposed.stop();
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('the data folder is its owner’s only', () => {
  it('folders are 700 and files 600, the outbox, database and objects included', async () => {
    const applicant: Caller = {
      baseUrl: runtime.url,
      token: await devToken(runtime.url, `role=applicant&enterprise=${runtime.demo[0]?.id ?? ''}`),
    };
    const eligible = runtime.demo.find((d) => d.tier === 'DISHONEST');
    if (eligible !== undefined) {
      await applyAndSubmit(
        { ...applicant, token: await devToken(runtime.url, `role=applicant&enterprise=${eligible.id}`) },
        eligible.id,
        'Taxes paid.',
      );
    }
    const wrong: string[] = [];
    const walk = async (path: string): Promise<number> => {
      const stat = await lstat(path);
      const mode = stat.mode & 0o777;
      if (stat.isDirectory()) {
        if (mode !== 0o700) wrong.push(`${path} ${mode.toString(8)}`);
        let files = 0;
        for (const name of await readdir(path)) files += await walk(join(path, name));
        return files;
      }
      if (mode !== 0o600) wrong.push(`${path} ${mode.toString(8)}`);
      return 1;
    };
    const files = await walk(dataDir);
    expect(files).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
    expect((await readdir(join(dataDir, 'outbox'))).length).toBeGreaterThan(0);
  });
});
