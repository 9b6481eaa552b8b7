import { httpHandler } from '../lib/http/handler.ts';
import { buildOpenApi } from '../lib/http/openapi.ts';
import { json } from '../lib/http/response.ts';
import { ROUTES } from './routes.ts';

let document: ReturnType<typeof buildOpenApi> | undefined;

/** GET /openapi.json: generated from the route table on first use, then served from memory. */
export const getOpenApi = httpHandler({
  auth: 'public',
  handle: async () => {
    document ??= buildOpenApi(ROUTES, {
      title: 'credit-repair',
      version: '0.1.0',
      description:
        'Customs enterprise-credit repair (GAC Order No. 282). Errors are RFC 9457 problem documents ' +
        '(application/problem+json) with a stable `code`.',
    });
    return json(200, document, { 'cache-control': 'public, max-age=300' });
  },
});
