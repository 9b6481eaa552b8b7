import { httpHandler } from '../http/handler.ts';
import { json } from '../http/response.ts';

/** GET /health: answers as long as the function runs; it checks no dependency on purpose. */
export const getHealth = httpHandler({
  auth: 'public',
  handle: async () => json(200, { status: 'ok' }),
});
