import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LocalEventBridge } from '../../local/eventbridge-endpoint.ts';

describe('local EventBridge PutEvents over the AWS JSON 1.1 protocol', () => {
  let dataDir: string;
  let file: string;
  let bus: LocalEventBridge;
  let client: EventBridgeClient;
  let clock: Date;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-eventbridge-'));
    file = join(dataDir, 'data', 'events.jsonl');
    clock = new Date('2026-05-04T02:00:00.000Z');
    bus = new LocalEventBridge({ file, now: () => clock });
    const endpoint = await bus.start({ port: 0 });
    client = new EventBridgeClient({
      region: 'cn-north-1',
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await bus.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('appends each accepted entry as a JSON line with an id and the time', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'credit-repair',
            DetailType: 'ListingChanged',
            Detail: JSON.stringify({ enterpriseId: 'ABCDE12345', tier: 'REGULAR' }),
            Resources: ['enterprise/ABCDE12345'],
          },
          {
            Source: 'credit-repair',
            DetailType: 'ListingChanged',
            Detail: JSON.stringify({ enterpriseId: 'FGHIJ67890', tier: 'REGULAR' }),
            EventBusName: 'arn:aws-cn:events:cn-north-1:000000000000:event-bus/agencies',
            Time: new Date('2026-05-01T00:00:00.000Z'),
          },
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
    const ids = result.Entries?.map((entry) => entry.EventId) ?? [];
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);

    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        id: ids[0],
        time: '2026-05-04T02:00:00.000Z',
        eventBusName: 'default',
        source: 'credit-repair',
        detailType: 'ListingChanged',
        resources: ['enterprise/ABCDE12345'],
        detail: { enterpriseId: 'ABCDE12345', tier: 'REGULAR' },
      },
      {
        id: ids[1],
        time: '2026-05-01T00:00:00.000Z',
        eventBusName: 'agencies',
        source: 'credit-repair',
        detailType: 'ListingChanged',
        resources: [],
        detail: { enterpriseId: 'FGHIJ67890', tier: 'REGULAR' },
      },
    ]);
  });

  it('fails a malformed entry alone and keeps appending across calls', async () => {
    const first = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'credit-repair', DetailType: 'ApplicationDecided', Detail: '{"applicationId":"A1"}' },
          { Source: 'credit-repair', DetailType: 'ApplicationDecided', Detail: 'not json' },
          { DetailType: 'ApplicationDecided', Detail: '{}' },
        ],
      }),
    );
    expect(first.FailedEntryCount).toBe(2);
    expect(first.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(first.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(first.Entries?.[2]).toMatchObject({ ErrorCode: 'InvalidArgument' });

    clock = new Date('2026-05-05T02:00:00.000Z');
    await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'credit-repair', DetailType: 'ApplicationDecided', Detail: '{"applicationId":"A2"}' },
        ],
      }),
    );

    const events = await bus.readEvents();
    expect(events.map((event) => [event.detail, event.time])).toEqual([
      [{ applicationId: 'A1' }, '2026-05-04T02:00:00.000Z'],
      [{ applicationId: 'A2' }, '2026-05-05T02:00:00.000Z'],
    ]);
  });

  it('refuses a request with more than ten entries as EventBridge does', async () => {
    const entry = { Source: 'credit-repair', DetailType: 'X', Detail: '{}' };
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await bus.readEvents()).toEqual([]);
  });
});
