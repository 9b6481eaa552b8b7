import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROLES, type Principal, type Role } from './principal.ts';

/**
 * Who is calling, read from the claims of a JWT that API Gateway's JWT authorizer (or, on one
 * machine, the local gateway) has already verified. Handlers never see the token itself.
 *
 * Claims, as tokens carry them:
 * - `sub`: the subject (user id).
 * - The role, `officer` | `applicant`, from an OIDC issuer's `role` (or `custom:role`) claim, or
 *   from the Cognito pool infra/constructs/api-authorizer.ts creates: there it is the user's group,
 *   in `cognito:groups`. Groups that are not roles are ignored; a token must name exactly one
 *   role in all, so a user in both groups (or a `role` contradicting the groups) gets nothing.
 * - `enterprises` (or `custom:enterprises`, the Cognito attribute): the enterprise ids an applicant
 *   acts for.
 *
 * API Gateway HTTP API hands claims to the function as strings, rendering an array claim as
 * `"[A B]"` (space separated, in brackets). The reader accepts that form, a real array (direct
 * invocation, tests), and a comma-separated string (identity providers that can only emit
 * strings). Enterprise ids contain neither spaces nor commas, so every form is unambiguous.
 */

export type Claims = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** An array claim in any of the forms described above, as a list of non-empty strings. */
export function parseListClaim(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item.length > 0);
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    // A JSON array that reached us as a string, e.g. from a provider that serialises claims.
    if (inner.startsWith('"')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parseListClaim(parsed);
      } catch {
        // not JSON: fall through to the API Gateway rendering
      }
    }
    return inner.split(/[\s,]+/).filter((item) => item.length > 0);
  }
  return text.split(/[\s,]+/).filter((item) => item.length > 0);
}

/** The one role the claims name (see above), or undefined when they name none, several or a bad one. */
function roleOf(claims: Claims): Role | undefined {
  const named = new Set<Role>();
  for (const claim of [claims.role, claims['custom:role']]) {
    if (claim === undefined) continue;
    // A role claim that is not a role is a misconfigured issuer: it grants nothing.
    if (!isRole(claim)) return undefined;
    named.add(claim);
  }
  for (const group of parseListClaim(claims['cognito:groups'])) if (isRole(group)) named.add(group);
  const [role, ...others] = named;
  return others.length === 0 ? role : undefined;
}

/**
 * The principal the claims describe, or `undefined` when they name no usable role or subject
 * (the token is genuine but grants nothing: callers answer 403).
 */
export function principalFromClaims(claims: Claims): Principal | undefined {
  const subject = claims.sub;
  const role = roleOf(claims);
  if (typeof subject !== 'string' || subject.length === 0 || role === undefined) return undefined;
  const enterprises =
    role === 'applicant'
      ? [...new Set(parseListClaim(claims.enterprises ?? claims['custom:enterprises']))]
      : [];
  return { subject, role, enterprises };
}

type EventWithJwt = APIGatewayProxyEventV2 & {
  requestContext: { authorizer?: { jwt?: { claims?: Claims } } };
};

/** The verified claims the authorizer put on the event, if any. */
export function claimsOf(event: APIGatewayProxyEventV2): Claims | undefined {
  const claims = (event as EventWithJwt).requestContext.authorizer?.jwt?.claims;
  return claims !== undefined && claims !== null && typeof claims === 'object' ? claims : undefined;
}
