import fc from 'fast-check';
import type { $ZodType } from 'zod/v4/core';
import { ROUTES } from '../../../functions/api/routes.ts';
import { pathParamNames, type HttpMethod, type RouteDefinition } from '../../../functions/http/route.ts';
import { localControlRoutes } from '../../../local/controls.ts';
import { arbitraryFromZod, jsonSchemaOf } from './json-schema-arbitrary.ts';

/**
 * Requests for every route the embedded runtime serves: the route table (inputs derived from its
 * zod schemas), the `/_local/*` controls and the console's files. Each request is a route's
 * parameters, query, headers and body drawn from: values its schemas admit, known ids of things
 * that exist (so requests reach past "not found"), those values mutated (a field missing, of
 * another type, extra), any JSON, and raw bytes under any media type.
 */

export interface FuzzRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly bodyKind?: 'json' | 'form';
  readonly params?: $ZodType;
  readonly query?: $ZodType;
  readonly headers?: $ZodType;
  readonly body?: $ZodType;
  /** An arbitrary in place of the schema's own (the clock's, kept near; see nearClock). */
  readonly queryArb?: fc.Arbitrary<Record<string, string>>;
  readonly bodyArb?: fc.Arbitrary<unknown>;
}

/** Ids of things that exist, by what a path parameter names. */
export interface KnownIds {
  enterprises: string[];
  applications: string[];
  facts: string[];
  linkIds: string[];
  outboxIds: string[];
  parties: string[];
}

export interface Credentials {
  readonly officer: string;
  /** Tokens of applicants of known enterprises. */
  readonly applicants: readonly string[];
  /** A well-formed JWT this runtime did not sign. */
  readonly foreign: string;
}

export interface FuzzRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

const fromTable = (route: RouteDefinition): FuzzRoute => ({
  method: route.method,
  path: route.path,
  ...(route.request?.body
    ? {
        body: route.request.body.schema,
        bodyKind: route.request.body.mediaType === 'application/x-www-form-urlencoded' ? 'form' : 'json',
      }
    : {}),
  ...(route.request?.params ? { params: route.request.params } : {}),
  ...(route.request?.query ? { query: route.request.query } : {}),
  ...(route.request?.headers ? { headers: route.request.headers } : {}),
});

/**
 * The clock only moves forward, so a valid instant drawn anywhere up to year 9999 would end every
 * date rule's reach for the rest of the run: valid instants the schema admits are kept within a
 * year of the run's start (a far jump is a legitimate, separate test).
 */
const NEAR_CLOCK_MS = 365 * 24 * 3600 * 1000;
function nearClock(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || !('now' in body)) return body;
  const at = Date.parse(String((body as { now: unknown }).now));
  if (!Number.isFinite(at) || Math.abs(at - Date.now()) < NEAR_CLOCK_MS) return body;
  return { ...body, now: new Date(Date.now() + (at % NEAR_CLOCK_MS)).toISOString() };
}

/** Every route the embedded runtime serves, with what its inputs are made of. */
export function fuzzRoutes(): FuzzRoute[] {
  const controls = localControlRoutes({
    auth: undefined,
    clock: undefined,
    outboxDir: '',
    runSweep: async () => ({}),
  } as never).map((route): FuzzRoute => {
    const { params, query, body } = route.request ?? {};
    const clock = route.method === 'POST' && route.path === '/_local/clock' && body !== undefined;
    return {
      method: route.method,
      path: route.path,
      ...(params ? { params } : {}),
      ...(query ? { query } : {}),
      ...(body
        ? clock
          ? { bodyKind: 'json', bodyArb: arbitraryFromZod(body).map(nearClock) }
          : { body, bodyKind: 'json' }
        : {}),
    };
  });
  const consoleRoutes: FuzzRoute[] = [
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/console/{file}' },
  ];
  return [...ROUTES.map(fromTable), ...controls, ...consoleRoutes];
}

function knownFor(route: FuzzRoute, param: string, known: KnownIds): string[] {
  if (param === 'linkId') return known.linkIds;
  if (param === 'factId') return known.facts;
  if (param === 'party') return known.parties;
  if (param === 'enterpriseId') return known.enterprises;
  if (route.path.startsWith('/_local/')) return known.outboxIds;
  if (param === 'id') return route.path.startsWith('/enterprises') ? known.enterprises : known.applications;
  return [];
}

/** Path segments no route should choke on: traversal, encoded separators, NUL, bad escapes, huge. */
const HOSTILE_SEGMENTS = [
  '..',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  '%00',
  '%ZZ',
  '%',
  '.',
  'x'.repeat(3000),
  '%F0%9F%98%80',
];

function paramArbitrary(route: FuzzRoute, param: string, known: KnownIds): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [];
  const ids = knownFor(route, param, known);
  if (ids.length > 0) options.push({ arbitrary: fc.constantFrom(...ids).map(encodeURIComponent), weight: 4 });
  const schema = route.params ? jsonSchemaOf(route.params).properties?.[param] : undefined;
  if (schema !== undefined && route.params !== undefined) {
    options.push({
      arbitrary: arbitraryFromZod(route.params).map((v) =>
        encodeURIComponent(String((v as Record<string, unknown>)[param])),
      ),
      weight: 2,
    });
  }
  options.push({
    arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map(encodeURIComponent),
    weight: 1,
  });
  options.push({ arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS), weight: 1 });
  return fc.oneof(...options);
}

function pathArbitrary(route: FuzzRoute, known: KnownIds): fc.Arbitrary<string> {
  const names = pathParamNames(route.path);
  if (names.length === 0) return fc.constant(route.path);
  return fc.tuple(...names.map((name) => paramArbitrary(route, name, known))).map((values) => {
    let path = route.path;
    names.forEach((name, i) => (path = path.replace(new RegExp(`\\{${name}\\+?\\}`), values[i] ?? '')));
    return path;
  });
}

const stringsOf = (value: unknown): Record<string, string> =>
  value !== null && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      )
    : {};

function queryArbitrary(route: FuzzRoute): fc.Arbitrary<string> {
  const options: fc.Arbitrary<Record<string, string>>[] = [
    fc.constant({}),
    fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
  ];
  if (route.query)
    options.push(arbitraryFromZod(route.query).map(stringsOf), arbitraryFromZod(route.query).map(stringsOf));
  if (route.queryArb) options.push(route.queryArb, route.queryArb);
  return fc.oneof(...options).map((query) => {
    const text = new URLSearchParams(query).toString();
    return text === '' ? '' : `?${text}`;
  });
}

/** A value with one thing wrong: a field gone, of another type, an extra one, or the whole thing wrapped. */
function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('drop', 'replace', 'extra', 'wrap', 'null'),
    )
    .map(([value, index, other, how]) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return how === 'wrap' ? [value] : other;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const key = keys.length > 0 ? keys[index % keys.length]! : 'field';
      if (how === 'drop') delete copy[key];
      else if (how === 'replace') copy[key] = other;
      else if (how === 'extra') copy[`extra${index % 5}`] = other;
      else if (how === 'null') copy[key] = null;
      else return [copy];
      return copy;
    });
}

/** Half of the values name an enterprise that exists (a random customs code rarely does). */
function withKnownIds(
  values: fc.Arbitrary<unknown> | undefined,
  known: KnownIds,
): fc.Arbitrary<unknown> | undefined {
  if (values === undefined || known.enterprises.length === 0) return values;
  return fc
    .tuple(values, fc.boolean(), fc.constantFrom(...known.enterprises))
    .map(([value, swap, id]) =>
      swap && value !== null && typeof value === 'object' && 'enterpriseId' in value
        ? { ...value, enterpriseId: id }
        : value,
    );
}

const encodeJson = (value: unknown): Buffer => Buffer.from(JSON.stringify(value) ?? 'null');
const encodeForm = (value: unknown): Buffer =>
  Buffer.from(
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? new URLSearchParams(stringsOf(value)).toString()
      : String(value),
  );

interface DrawnBody {
  readonly bytes: Buffer | undefined;
  readonly contentType: string | undefined;
}

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'APPLICATION/JSON',
];

function bodyArbitrary(route: FuzzRoute, known: KnownIds): fc.Arbitrary<DrawnBody> {
  const kind = route.bodyKind ?? 'json';
  const encode = kind === 'form' ? encodeForm : encodeJson;
  const ownType = kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  const schemaValues = withKnownIds(route.body ? arbitraryFromZod(route.body) : route.bodyArb, known);
  const withType = (bytes: fc.Arbitrary<Buffer | undefined>, types: fc.Arbitrary<string | undefined>) =>
    fc.record({ bytes, contentType: types });
  const options: fc.WeightedArbitrary<DrawnBody>[] = [
    { arbitrary: withType(fc.constant(undefined), fc.constantFrom(...CONTENT_TYPES)), weight: 1 },
    {
      arbitrary: withType(
        fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
        fc.constantFrom(...CONTENT_TYPES),
      ),
      weight: 2,
    },
    {
      arbitrary: withType(
        fc.jsonValue({ maxDepth: 3 }).map(encodeJson),
        fc.constantFrom(ownType, 'application/json'),
      ),
      weight: 2,
    },
  ];
  if (schemaValues !== undefined) {
    options.push(
      { arbitrary: withType(schemaValues.map(encode), fc.constant(ownType)), weight: 5 },
      { arbitrary: withType(mutated(schemaValues).map(encode), fc.constant(ownType)), weight: 4 },
      { arbitrary: withType(schemaValues.map(encode), fc.constantFrom(...CONTENT_TYPES)), weight: 1 },
    );
  }
  return fc.oneof(...options);
}

function authArbitrary(credentials: Credentials): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${credentials.officer}`), weight: 4 },
    { arbitrary: fc.constantFrom(...credentials.applicants.map((t) => `Bearer ${t}`)), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        `Bearer ${credentials.foreign}`,
        'Bearer ',
        'Bearer not.a.jwt',
        'Basic dXNlcjpwYXNz',
        `bearer ${credentials.officer}x`,
      ),
      weight: 2,
    },
  );
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/** Requests for one route. */
export function requestArbitrary(
  route: FuzzRoute,
  known: KnownIds,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  const hasBody = route.body !== undefined || route.bodyArb !== undefined;
  const body = hasBody
    ? bodyArbitrary(route, known)
    : fc.oneof(
        { arbitrary: fc.constant<DrawnBody>({ bytes: undefined, contentType: undefined }), weight: 6 },
        { arbitrary: bodyArbitrary(route, known), weight: 1 },
      );
  const idempotencyKey: fc.Arbitrary<string | null | undefined> = route.headers
    ? fc.oneof(
        {
          arbitrary: arbitraryFromZod(route.headers).map(
            (h): string | null | undefined => (h as Record<string, string>)['idempotency-key'],
          ),
          weight: 3,
        },
        {
          arbitrary: fc.option(fc.string({ maxLength: 300 })) as fc.Arbitrary<string | null | undefined>,
          weight: 1,
        },
      )
    : fc.option(fc.string({ maxLength: 20 }), { freq: 8 });
  return fc
    .record({
      method: fc.oneof(
        { arbitrary: fc.constant<string>(route.method), weight: 12 },
        { arbitrary: fc.constantFrom<string>(...OTHER_METHODS), weight: 1 },
      ),
      path: pathArbitrary(route, known),
      query: queryArbitrary(route),
      auth: authArbitrary(credentials),
      key: idempotencyKey,
      body,
    })
    .map(({ method, path, query, auth, key, body: drawn }) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (typeof key === 'string' && /^[\t\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
      if (drawn.contentType !== undefined) headers['content-type'] = drawn.contentType;
      return {
        route: `${route.method} ${route.path}`,
        method,
        path: `${path}${query}`,
        headers,
        ...(drawn.bytes === undefined ? {} : { body: drawn.bytes }),
      };
    });
}

/** Requests for any route, each route as likely as any other. */
export function anyRouteRequest(
  routes: readonly FuzzRoute[],
  known: KnownIds,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...routes.map((route) => requestArbitrary(route, known, credentials)));
}
