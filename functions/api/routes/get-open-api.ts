import { route } from '../../http/route.ts';

/** `GET /openapi.json`. */
export const getOpenApiRoute = route('getOpenApi', {
  method: 'GET',
  path: '/openapi.json',
  module: 'functions/api/openapi.ts',
  auth: 'public',
  tag: 'service',
  summary: 'This OpenAPI 3.1 document',
  responses: { 200: { description: 'the OpenAPI document' } },
});
