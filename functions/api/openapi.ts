import { bodilessRouteHandler } from '../http/bodiless-handler.ts';
import { json } from '../http/response.ts';
import { OPENAPI_JSON_GZIP } from './openapi-served.ts';
import { getOpenApiRoute } from './routes/get-open-api.ts';

/** A gzip member (base64) as the UTF-8 text it holds; the Web Streams decompressor is a Node global. */
export async function gunzipText(base64: string): Promise<string> {
  const stream = new Blob([Buffer.from(base64, 'base64')])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

let document: Promise<unknown> | undefined;

/**
 * GET /openapi.json: the document `npm run docs:openapi` rendered (functions/api/openapi-document.ts),
 * decompressed on first use, then served from memory. A test fails when it is not what the route
 * table renders now.
 */
export const getOpenApi = bodilessRouteHandler(getOpenApiRoute, async () => {
  document ??= gunzipText(OPENAPI_JSON_GZIP).then((text): unknown => JSON.parse(text));
  return json(200, await document, { 'cache-control': 'public, max-age=300' });
});
