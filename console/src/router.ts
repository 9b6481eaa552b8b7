import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (CONTRACT.md: the console owns `/` and `/console/*` and routes in the fragment), so
 * every screen is a link that reloads to the same place and the server serves one page.
 */

export type Route =
  | { readonly name: 'home'; readonly query: URLSearchParams }
  | { readonly name: 'signIn' }
  | { readonly name: 'enterprise'; readonly id: string }
  | { readonly name: 'applications'; readonly query: URLSearchParams }
  | { readonly name: 'application'; readonly id: string }
  | { readonly name: 'reviewers' }
  | { readonly name: 'operator' }
  | { readonly name: 'inbox'; readonly query: URLSearchParams }
  | { readonly name: 'message'; readonly id: string }
  | { readonly name: 'notFound'; readonly path: string };

const segment = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart = '/', queryPart = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter((p) => p.length > 0);
  const query = new URLSearchParams(queryPart);
  const [first, second, third] = parts;
  if (parts.length === 0) return { name: 'home', query };
  if (first === 'sign-in' && parts.length === 1) return { name: 'signIn' };
  if (first === 'enterprises' && second !== undefined && parts.length === 2) {
    const id = segment(second);
    if (id !== undefined) return { name: 'enterprise', id };
  }
  if (first === 'applications' && parts.length === 1) return { name: 'applications', query };
  if (first === 'applications' && second !== undefined && parts.length === 2) {
    const id = segment(second);
    if (id !== undefined) return { name: 'application', id };
  }
  if (first === 'reviewers' && parts.length === 1) return { name: 'reviewers' };
  if (first === 'operator' && parts.length === 1) return { name: 'operator' };
  if (first === 'operator' && second === 'inbox' && parts.length === 2) return { name: 'inbox', query };
  if (first === 'operator' && second === 'inbox' && third !== undefined && parts.length === 3) {
    const id = segment(third);
    if (id !== undefined) return { name: 'message', id };
  }
  return { name: 'notFound', path: pathPart };
}

export const href = {
  home: (query: Record<string, string | undefined> = {}) => {
    const params = new URLSearchParams(
      Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
    ).toString();
    return params === '' ? '#/' : `#/?${params}`;
  },
  signIn: () => '#/sign-in',
  enterprise: (id: string) => `#/enterprises/${encodeURIComponent(id)}`,
  applications: (query: Record<string, string | undefined> = {}) => {
    const params = new URLSearchParams(
      Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
    ).toString();
    return params === '' ? '#/applications' : `#/applications?${params}`;
  },
  application: (id: string) => `#/applications/${encodeURIComponent(id)}`,
  reviewers: () => '#/reviewers',
  operator: () => '#/operator',
  inbox: () => '#/operator/inbox',
  message: (id: string) => `#/operator/inbox/${encodeURIComponent(id)}`,
};

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
