import { bodilessRouteHandler } from '../http/bodiless-handler.ts';
import { getHealthRoute } from './routes/get-health.ts';
import { json } from '../http/response.ts';

/** GET /health: answers as long as the function runs; it checks no dependency on purpose. */
export const getHealth = bodilessRouteHandler(getHealthRoute, async () => json(200, { status: 'ok' }));
