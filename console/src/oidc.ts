import type { ConsoleConfig, OidcConfig } from './config.ts';
import { signIn } from './session.ts';

/**
 * OpenID Connect sign-in for the deployed console: authorization code with PKCE (RFC 7636, S256),
 * a public client, against the issuer the site's config.json names (Cognito, or the agency's own).
 * The code verifier and state live in sessionStorage for the round trip only; the access token is
 * the API's bearer token (API Gateway's JWT authorizer checks it).
 */

const PENDING_KEY = 'credit-repair.oidc';

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly redirectUri: string;
  readonly returnTo: string;
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function discover(oidc: OidcConfig): Promise<Discovery> {
  const url = `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
  return (await response.json()) as Discovery;
}

/** Sends the browser to the issuer's sign-in page. */
export async function startOidcSignIn(oidc: OidcConfig): Promise<void> {
  const discovery = await discover(oidc);
  const pending: Pending = {
    state: randomText(16),
    verifier: randomText(32),
    redirectUri: `${location.origin}/`,
    returnTo: location.hash || '#/',
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: pending.redirectUri,
    scope: oidc.scope ?? 'openid',
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * On the way back (`/?code=…&state=…`): checks the state, exchanges the code with the verifier and
 * signs in. Returns an error message when the round trip failed, undefined otherwise (also when
 * this page load is not a return from the issuer).
 */
export async function completeOidcSignIn(config: ConsoleConfig): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (code === null && error === null) return undefined;
  const saved = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = saved === null ? undefined : (JSON.parse(saved) as Pending);
  // The code and state leave the address bar (and the history) at once.
  history.replaceState(null, '', `/${pending?.returnTo ?? '#/'}`);
  if (error !== null) return `${error}: ${params.get('error_description') ?? ''}`.trim();
  if (config.oidc === undefined || pending === undefined || params.get('state') !== pending.state) {
    return 'the sign-in response does not match a sign-in this tab started';
  }
  try {
    const discovery = await discover(config.oidc);
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      credentials: 'omit',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: pending.redirectUri,
        client_id: config.oidc.clientId,
        code_verifier: pending.verifier,
      }).toString(),
    });
    if (!response.ok) return `the issuer refused the code (${response.status})`;
    const tokens = (await response.json()) as { access_token?: string };
    if (tokens.access_token === undefined || signIn(tokens.access_token, 'oidc') === undefined) {
      return 'the token names no role this service knows (officer or applicant)';
    }
    return undefined;
  } catch (caught) {
    return (caught as Error).message;
  }
}
