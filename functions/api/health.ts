import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { json } from '../http/response.ts';

/** GET /health: answers as long as the function runs; it checks no dependency on purpose. */
export const getHealth = routeHandler(ROUTE.getHealth, async () => json(200, { status: 'ok' }));
