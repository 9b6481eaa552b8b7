import { buildOpenApi } from '../http/openapi.ts';
import { RESPONSE_SCHEMAS } from './response-schemas.ts';
import { ROUTES } from './routes.ts';

/**
 * The service's OpenAPI 3.1 document, generated from the route table and its zod schemas. Only
 * `npm run docs:openapi` and the tests render it: the document is fully determined by the code, so
 * the script renders it once and writes it twice, readable to docs/openapi.json and compressed to
 * the module the `GET /openapi.json` function serves (functions/api/openapi-served.ts), which thus
 * carries neither the route table nor a schema.
 */

/** Where the readable document is committed. */
export const OPENAPI_DOC_PATH = 'docs/openapi.json';

/** Where the document the function serves is committed, gzipped. */
export const OPENAPI_SERVED_PATH = 'functions/api/openapi-served.ts';

export function apiDocument(): ReturnType<typeof buildOpenApi> {
  return buildOpenApi(ROUTES, RESPONSE_SCHEMAS, {
    title: 'credit-repair',
    version: '0.1.0',
    description:
      'Customs enterprise-credit repair (GAC Order No. 282). Errors are RFC 9457 problem documents ' +
      '(application/problem+json) with a stable `code`.',
  });
}
