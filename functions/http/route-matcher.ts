import { ProblemError } from './problem.ts';
import { pathParamNames, type HttpMethod } from './route.ts';

/**
 * Matches a request path against route templates the way API Gateway HTTP API does: exact
 * segments, `{name}` for one segment, `{name+}` for the rest; when several match, the most
 * specific wins (literal segments beat parameters, compared left to right). One matcher for the
 * local gateway (which routes with it) and the `$default` route on AWS (which answers what API
 * Gateway did not route), so both answer an unmatched request alike.
 */

export interface Routable {
  readonly method: HttpMethod;
  readonly path: string;
}

interface Compiled<R extends Routable> {
  readonly route: R;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** One digit per segment: 2 literal, 1 parameter, 0 greedy; higher sorts first. */
  readonly specificity: string;
}

export type PathMatch<R extends Routable> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile<R extends Routable>(route: R): Compiled<R> {
  const segments = route.path.split('/').slice(1);
  const source = segments
    .map((segment) => {
      if (/^\{[A-Za-z0-9_]+\+\}$/.test(segment)) return '/(.+)';
      if (/^\{[A-Za-z0-9_]+\}$/.test(segment)) return '/([^/]+)';
      return '/' + escapeRegExp(segment);
    })
    .join('');
  const specificity = segments.map((s) => (s.endsWith('+}') ? '0' : s.startsWith('{') ? '1' : '2')).join('');
  return { route, pattern: new RegExp(`^${source}$`), names: pathParamNames(route.path), specificity };
}

export class Router<R extends Routable> {
  private readonly compiled: Compiled<R>[];

  constructor(routes: readonly R[]) {
    this.compiled = routes
      .map((route) => compile(route))
      .sort((a, b) => (a.specificity < b.specificity ? 1 : a.specificity > b.specificity ? -1 : 0));
  }

  match(method: string, path: string): PathMatch<R> {
    const allowed = new Set<HttpMethod>();
    for (const candidate of this.compiled) {
      const found = candidate.pattern.exec(path);
      if (found === null) continue;
      const params = decodedParams(candidate.names, found);
      // A malformed escape (`%E0%A4%A`) cannot name anything, whatever the method: no match, and
      // no method to offer in a 405 either.
      if (params === undefined) continue;
      if (candidate.route.method !== method) {
        allowed.add(candidate.route.method);
        continue;
      }
      return { kind: 'found', route: candidate.route, params };
    }
    return allowed.size > 0 ? { kind: 'wrong-method', allowed: [...allowed].sort() } : { kind: 'not-found' };
  }
}

/** The path parameters of a match, decoded; undefined when one is not a valid escape sequence. */
function decodedParams(names: readonly string[], found: RegExpExecArray): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    try {
      params[name] = decodeURIComponent(found[index + 1] ?? '');
    } catch {
      return undefined;
    }
  }
  return params;
}

/**
 * The problem for a request no route serves: 405 with an Allow header when the path serves other
 * methods, else 404.
 */
export function unmatchedProblem(
  method: string,
  path: string,
  match: Exclude<PathMatch<Routable>, { kind: 'found' }> | { kind: 'found' },
): ProblemError {
  if (match.kind === 'wrong-method') {
    const allowed = match.allowed.join(', ');
    return ProblemError.of('METHOD_NOT_ALLOWED', `${method} is not allowed here; allowed: ${allowed}.`, {
      headers: { allow: allowed },
    });
  }
  return ProblemError.of('NOT_FOUND', `No route ${method} ${path}.`);
}
