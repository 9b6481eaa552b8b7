import { routeHandler } from '../http/handler.ts';
import { getHealthRoute } from './routes/get-health.ts';
import { json } from '../http/response.ts';

/** GET /health: answers as long as the function runs; it checks no dependency on purpose. */
export const getHealth = routeHandler(getHealthRoute, async () => json(200, { status: 'ok' }));
