import { InvalidPageTokenError } from './errors.ts';

/**
 * `nextToken` as clients see it: the opaque base64url of DynamoDB's LastEvaluatedKey. Decoding checks
 * that the token names exactly the key attributes the query expects, with string values, so a
 * forged or foreign token is a 400 (InvalidPageTokenError) instead of a DynamoDB validation error.
 */

export type StartKey = Record<string, string>;

export function encodePageToken(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodePageToken(token: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidPageTokenError();
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError();
  }
}

/** Checks that a decoded value is a start key with exactly `attributes`, all strings. */
export function asStartKey(value: unknown, attributes: readonly string[]): StartKey {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidPageTokenError();
  const entries = Object.entries(value as Record<string, unknown>);
  const expected = new Set(attributes);
  if (entries.length !== expected.size) throw new InvalidPageTokenError();
  for (const [name, v] of entries) {
    if (!expected.has(name) || typeof v !== 'string' || v.length === 0) throw new InvalidPageTokenError();
  }
  return value as StartKey;
}
