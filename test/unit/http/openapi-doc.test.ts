import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { getOpenApi, gunzipText } from '../../../functions/api/openapi.ts';
import {
  apiDocument,
  OPENAPI_DOC_PATH,
  OPENAPI_SERVED_PATH,
} from '../../../functions/api/openapi-document.ts';
import { OPENAPI_JSON_GZIP } from '../../../functions/api/openapi-served.ts';
import { buildEvent, lambdaContext } from '../../../local/gateway/event.ts';

/** Both committed renderings of the document are what the route table renders now. */

describe(OPENAPI_DOC_PATH, () => {
  it('is the document the route table renders (regenerate with npm run docs:openapi)', async () => {
    const committed = await readFile(new URL(`../../../${OPENAPI_DOC_PATH}`, import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(apiDocument())));
  });
});

describe(OPENAPI_SERVED_PATH, () => {
  it('holds exactly the JSON the route table renders (regenerate with npm run docs:openapi)', async () => {
    expect(await gunzipText(OPENAPI_JSON_GZIP)).toBe(JSON.stringify(apiDocument()));
  });

  it('is what GET /openapi.json answers, with its headers', async () => {
    const event = buildEvent({
      method: 'GET',
      rawPath: '/openapi.json',
      rawQueryString: '',
      headers: {},
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      localPort: 80,
      routeKey: 'GET /openapi.json',
      pathParameters: {},
    });
    const answer = await getOpenApi(event, lambdaContext('getOpenApi', 'req-1'));
    expect(answer).toEqual({
      statusCode: 200,
      headers: {
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
        'content-type': 'application/json',
      },
      body: JSON.stringify(apiDocument()),
    });
  });
});
