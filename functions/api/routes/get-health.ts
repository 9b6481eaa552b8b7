import { route } from '../../http/route.ts';

/** `GET /health`. */
export const getHealthRoute = route('getHealth', {
  method: 'GET',
  path: '/health',
  module: 'functions/api/health.ts',
  auth: 'public',
  tag: 'service',
  summary: 'Liveness check',
  responses: {
    200: { description: 'the service answers', schema: 'Health' },
  },
});
