import type { HttpMethod } from '../http/route.ts';
import { httpHandler } from '../http/handler.ts';
import { ProblemError } from '../http/problem.ts';
import { ROUTES } from './routes.ts';

/**
 * The HTTP API's `$default` route: API Gateway sends it every request no route of the table
 * matches (an unknown path, or a known path with another method, such as HEAD on /review/{id}).
 * It answers the problem documents the local gateway answers for the same requests, so clients
 * see one behaviour on both: 404 NOT_FOUND, or 405 METHOD_NOT_ALLOWED with an Allow header.
 */

const TEMPLATES = ROUTES.map((route) => ({ method: route.method, pattern: templatePattern(route.path) }));

/** A path template as API Gateway reads it: `{name}` is one segment, `{name+}` the rest. */
function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .slice(1)
    .map((segment) => {
      if (/^\{[A-Za-z0-9_]+\+\}$/.test(segment)) return '/.+';
      if (/^\{[A-Za-z0-9_]+\}$/.test(segment)) return '/[^/]+';
      return '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** The methods the route table serves on `path`, sorted; empty when no template matches it. */
export function allowedMethods(path: string): HttpMethod[] {
  const methods = new Set(TEMPLATES.filter((t) => t.pattern.test(path)).map((t) => t.method));
  return [...methods].sort();
}

/** The problem for a request no route serves. */
export function unmatchedRequestProblem(method: string, path: string): ProblemError {
  const allowed = allowedMethods(path).filter((m) => m !== method);
  if (allowed.length === 0) return ProblemError.of('NOT_FOUND', `No route ${method} ${path}.`);
  return ProblemError.of(
    'METHOD_NOT_ALLOWED',
    `${method} is not allowed here; allowed: ${allowed.join(', ')}.`,
    { headers: { allow: allowed.join(', ') } },
  );
}

export const handleUnmatched = httpHandler({
  auth: 'public',
  handle: async ({ event }) => {
    throw unmatchedRequestProblem(event.requestContext.http.method.toUpperCase(), event.rawPath);
  },
});
