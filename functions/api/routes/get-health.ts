import { route } from '../../http/route.ts';
import { HealthResponse } from '../schemas/service.ts';

/** `GET /health`. */
export const getHealthRoute = route('getHealth', {
  method: 'GET',
  path: '/health',
  module: 'functions/api/health.ts',
  auth: 'public',
  tag: 'service',
  summary: 'Liveness check',
  responses: {
    200: { description: 'the service answers', schema: { name: 'Health', schema: HealthResponse } },
  },
});
