import { routeHandler } from '../http/handler.ts';
import { buildOpenApi } from '../http/openapi.ts';
import { json } from '../http/response.ts';
import { RESPONSE_SCHEMAS } from './response-schemas.ts';
import { ROUTES } from './routes.ts';
import { getOpenApiRoute } from './routes/get-open-api.ts';

/** Where the generated document is committed (npm run docs:openapi); a test keeps it current. */
export const OPENAPI_DOC_PATH = 'docs/openapi.json';

/** The service's OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function apiDocument(): ReturnType<typeof buildOpenApi> {
  return buildOpenApi(ROUTES, RESPONSE_SCHEMAS, {
    title: 'credit-repair',
    version: '0.1.0',
    description:
      'Customs enterprise-credit repair (GAC Order No. 282). Errors are RFC 9457 problem documents ' +
      '(application/problem+json) with a stable `code`.',
  });
}

let document: ReturnType<typeof buildOpenApi> | undefined;

/** GET /openapi.json: generated on first use, then served from memory. */
export const getOpenApi = routeHandler(getOpenApiRoute, async () => {
  document ??= apiDocument();
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
