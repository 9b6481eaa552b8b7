import { principalFromClaims, type Claims } from '../../functions/auth/claims.ts';
import { type Principal } from '../../functions/auth/principal.ts';
import { createStore } from './store.ts';

/**
 * Who is signed in: a bearer token and the principal its claims name. The claims are read with the
 * API's own reader (functions/auth/claims.ts), so the console shows the role the API will apply. The
 * token is not verified here (the API does that on every call); it is kept in sessionStorage, so
 * it lives as long as the tab and is not shared with other tabs or sites.
 */

export interface Session {
  readonly token: string;
  readonly principal: Principal;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /** How the token was obtained: the operator's dev sign-in or the OIDC issuer. */
  readonly via: 'dev' | 'oidc';
}

const STORAGE_KEY = 'credit-repair.session';

function decodeClaims(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object' ? (claims as Claims) : undefined;
  } catch {
    return undefined;
  }
}

/** The session a token gives, or undefined when it names no usable role or has expired. */
export function sessionFromToken(
  token: string,
  via: Session['via'],
  nowSeconds = Date.now() / 1000,
): Session | undefined {
  const claims = decodeClaims(token);
  if (claims === undefined) return undefined;
  const principal = principalFromClaims(claims);
  const expiresAt = typeof claims['exp'] === 'number' ? claims['exp'] : undefined;
  if (principal === undefined || expiresAt === undefined || expiresAt <= nowSeconds) return undefined;
  return { token, principal, expiresAt, via };
}

function restore(): Session | undefined {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  if (saved === null) return undefined;
  try {
    const { token, via } = JSON.parse(saved) as { token: string; via: Session['via'] };
    return sessionFromToken(token, via);
  } catch {
    return undefined;
  }
}

export const sessionStore = createStore<Session | undefined>(restore());

export function signIn(token: string, via: Session['via']): Session | undefined {
  const session = sessionFromToken(token, via);
  if (session === undefined) return undefined;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token, via }));
  sessionStore.set(session);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  sessionStore.set(undefined);
}

export const currentToken = (): string | undefined => sessionStore.get()?.token;
