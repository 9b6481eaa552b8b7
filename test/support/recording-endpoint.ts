import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP endpoint that records each request and answers with what the test scripts. For
 * AWS services without an emulator here (SES, EventBridge) and for Step Functions error replies: the
 * SDK client really serializes, signs, sends and parses, through AWS_ENDPOINT_URL_<SERVICE>.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedReply {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
}

export interface RecordingEndpoint {
  readonly url: string;
  readonly requests: RecordedRequest[];
  reply(next: (request: RecordedRequest) => ScriptedReply): void;
  stop(): Promise<void>;
}

export async function startRecordingEndpoint(): Promise<RecordingEndpoint> {
  const requests: RecordedRequest[] = [];
  let responder: (request: RecordedRequest) => ScriptedReply = () => ({ status: 200, body: {} });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const reply = responder(request);
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(next) {
      responder = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
