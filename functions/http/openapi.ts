import {
  array,
  catchall,
  described,
  int,
  object,
  optional,
  registry,
  string,
  toJSONSchema,
  unknown as anyValue,
  schema,
} from '../../domain/zod.ts';
import type { $ZodType, JSONSchema } from 'zod/v4/core';
import { PROBLEM_DESCRIPTIONS } from './problem-descriptions.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem.ts';
import type { ProblemCode } from './problems.ts';
import { problem, type NamedSchema, type RouteDefinition, type RouteProblem } from './route.ts';

/**
 * Builds the OpenAPI 3.1 document from the route table with zod 4's own JSON Schema output
 * (draft 2020-12, which OpenAPI 3.1 uses as is). Every named schema becomes a component and is
 * referenced, nested ones included; request schemas are described as clients send them (`io:
 * input`, so `"12.50"` money strings appear), responses as the service writes them.
 */

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

const COMPONENT_PREFIX = '#/components/schemas/';
const ref = (name: string): Json => ({ $ref: COMPONENT_PREFIX + name });

/** The problem document (RFC 9457) as this service writes it. */
export const ProblemDocumentSchema = /* @__PURE__ */ schema(() =>
  catchall(
    object({
      type: described(string(), `${PROBLEM_TYPE_BASE}<code in kebab case>`),
      title: string(),
      status: int(),
      detail: string(),
      code: described(string(), 'stable; clients branch on it'),
      errors: optional(array(object({ in: string(), path: string(), message: string() }))),
      reasons: optional(array(catchall(object({ code: string(), detail: optional(string()) }), anyValue()))),
    }),
    anyValue(),
  ),
);

const PROBLEM_COMPONENT = 'Problem';

/**
 * What API Gateway answers itself on AWS, before any handler runs: `{"message": ...}` as
 * application/json, not a problem document (CONTRACT.md, "Gateway-generated errors on AWS"). The
 * embedded runtime's gateway answers the same statuses with problem documents.
 */
export const GatewayMessageSchema = /* @__PURE__ */ schema(() =>
  object({
    message: described(string(), 'set by API Gateway, e.g. "Unauthorized"'),
  }),
);
export const GATEWAY_MESSAGE_COMPONENT = 'GatewayMessage';

/** The statuses API Gateway answers on its own, the message it sends, and when. */
export const GATEWAY_ERRORS = {
  401: {
    message: 'Unauthorized',
    when: 'the JWT authorizer refused the token (missing, expired, wrong issuer or audience)',
    applies: (route: RouteDefinition) => route.auth === 'jwt',
  },
  413: {
    message: 'Request Entity Too Large',
    when: "the body exceeds API Gateway's 10 MB payload limit",
    applies: (route: RouteDefinition) => route.request?.body !== undefined,
  },
  429: {
    message: 'Too Many Requests',
    when: "the stage's rate or burst limit was exceeded",
    applies: () => true,
  },
} as const satisfies Record<
  number,
  { message: string; when: string; applies: (route: RouteDefinition) => boolean }
>;

class SchemaCollector {
  private readonly byName = new Map<string, $ZodType>();
  private readonly names = new Map<$ZodType, string>();
  readonly registry = registry<{ id: string }>();

  add({ name, schema }: NamedSchema): void {
    const known = this.byName.get(name);
    if (known !== undefined && known !== schema) throw new Error(`two schemas are named ${name}`);
    const other = this.names.get(schema);
    if (other !== undefined && other !== name)
      throw new Error(`one schema is named both ${other} and ${name}`);
    this.byName.set(name, schema);
    this.names.set(schema, name);
    this.registry.add(schema, { id: name });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  render(io: 'input' | 'output'): Record<string, Json> {
    if (this.byName.size === 0) return {};
    const { schemas } = toJSONSchema(this.registry, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      uri: (id) => COMPONENT_PREFIX + id,
    });
    return Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [name, withoutIdentity(schema)]),
    );
  }
}

/** Components live inside the document: their own `$schema`/`$id` would only confuse tools. */
function withoutIdentity(schema: JSONSchema.BaseSchema): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema as Json;
  return rest;
}

function inlineSchema(schema: $ZodType): Json {
  return withoutIdentity(
    toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
  );
}

/** `idempotency-key` → `Idempotency-Key`: how the header is spelt in prose (HTTP ignores case). */
const headerName = (name: string): string =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');

function parametersOf(schema: $ZodType | undefined, location: 'path' | 'query' | 'header'): Json[] {
  if (schema === undefined) return [];
  const json = inlineSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name: location === 'header' ? headerName(name) : name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    };
  });
}

const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: ref(PROBLEM_COMPONENT) } };

/** Errors every route can answer, from what it declares (input, auth, body). */
function genericProblems(route: RouteDefinition): RouteProblem[] {
  const codes: ProblemCode[] = [];
  const request = route.request;
  const hasInput = request !== undefined && Object.values(request).some((part) => part !== undefined);
  if (hasInput) codes.push('VALIDATION_FAILED');
  if (request?.body !== undefined) {
    const json = (request.body.mediaType ?? 'application/json') === 'application/json';
    codes.push(json ? 'MALFORMED_JSON' : 'MALFORMED_FORM', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (route.auth === 'jwt') codes.push('UNAUTHORIZED', 'FORBIDDEN');
  codes.push('INTERNAL');
  return codes.map((code) => problem(code));
}

function responsesOf(route: RouteDefinition): Json {
  const responses: Json = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const mediaType = response.mediaType ?? 'application/json';
    const content =
      response.schema !== undefined
        ? { [mediaType]: { schema: ref(response.schema) } }
        : mediaType === 'text/html'
          ? { 'text/html': { schema: { type: 'string' } } }
          : { [mediaType]: { schema: {} } };
    responses[status] = { description: response.description, content };
  }
  const byStatus = new Map<number, RouteProblem[]>();
  for (const problem of [...genericProblems(route), ...(route.problems ?? [])]) {
    if (route.responses[problem.status] !== undefined) continue;
    byStatus.set(problem.status, [...(byStatus.get(problem.status) ?? []), problem]);
  }
  const gatewayStatuses = Object.entries(GATEWAY_ERRORS)
    .filter(([status, error]) => error.applies(route) && route.responses[Number(status)] === undefined)
    .map(([status]) => Number(status) as keyof typeof GATEWAY_ERRORS);
  for (const status of gatewayStatuses) if (!byStatus.has(status)) byStatus.set(status, []);
  for (const [status, problems] of [...byStatus].sort(([a], [b]) => a - b)) {
    const fromHandler = problems.map(
      (problem) => `\`${problem.code}\`: ${problem.description ?? PROBLEM_DESCRIPTIONS[problem.code]}`,
    );
    const gateway = gatewayStatuses.includes(status as keyof typeof GATEWAY_ERRORS)
      ? GATEWAY_ERRORS[status as keyof typeof GATEWAY_ERRORS]
      : undefined;
    responses[String(status)] = {
      description: [
        ...fromHandler,
        ...(gateway === undefined
          ? []
          : [`on AWS, API Gateway itself when ${gateway.when}: \`{"message": "${gateway.message}"}\``]),
      ].join('; '),
      content: {
        ...(problems.length > 0 ? problemContent : {}),
        ...(gateway === undefined
          ? {}
          : {
              'application/json': {
                schema: ref(GATEWAY_MESSAGE_COMPONENT),
                example: { message: gateway.message },
              },
            }),
      },
    };
  }
  for (const [status, page] of Object.entries(route.htmlWhenAccepted ?? {})) {
    const response = responses[status] as { description: string; content: Json } | undefined;
    if (response === undefined) throw new Error(`${route.exportName}: an HTML ${status} it never answers`);
    responses[status] = {
      description: `${response.description}; as \`text/html\` when Accept weights it above JSON: ${page}`,
      content: { ...response.content, 'text/html': { schema: { type: 'string' } } },
    };
  }
  return responses;
}

function operationOf(route: RouteDefinition): Json {
  const request = route.request;
  const parameters = [
    ...parametersOf(request?.params, 'path'),
    ...parametersOf(request?.query, 'query'),
    ...parametersOf(request?.headers, 'header'),
  ];
  const roles = route.roles === undefined ? '' : ` Roles: ${route.roles.join(', ')}.`;
  return {
    operationId: route.exportName,
    summary: route.summary,
    ...(route.description === undefined && roles === ''
      ? {}
      : { description: `${route.description ?? ''}${roles}`.trim() }),
    tags: [route.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(request?.body === undefined
      ? {}
      : {
          requestBody: {
            required: request.body.optional !== true,
            content: { [request.body.mediaType ?? 'application/json']: { schema: ref(request.body.name) } },
          },
        }),
    responses: responsesOf(route),
    security: route.auth === 'jwt' ? [{ bearerJwt: [] }] : [],
  };
}

/**
 * The document of `routes`. `responseSchemas` holds, by name, the schema of every JSON response
 * body the routes name (`RouteResponse.schema`): exactly those, so a name no route uses, or a
 * route naming a schema it lacks, is an error rather than a silent gap in the document.
 */
export function buildOpenApi(
  routes: readonly RouteDefinition[],
  responseSchemas: Readonly<Record<string, $ZodType>>,
  info: OpenApiInfo = { title: 'credit-repair', version: '0.1.0' },
): Json {
  const requests = new SchemaCollector();
  const responses = new SchemaCollector();
  responses.add({ name: PROBLEM_COMPONENT, schema: ProblemDocumentSchema });
  responses.add({ name: GATEWAY_MESSAGE_COMPONENT, schema: GatewayMessageSchema });
  const named = new Set<string>();
  for (const route of routes) {
    if (route.request?.body !== undefined) requests.add(route.request.body);
    for (const [status, response] of Object.entries(route.responses)) {
      if (response.schema === undefined) continue;
      const schema = Object.hasOwn(responseSchemas, response.schema)
        ? responseSchemas[response.schema]
        : undefined;
      if (schema === undefined)
        throw new Error(`${route.exportName} ${status}: no response schema named ${response.schema}`);
      responses.add({ name: response.schema, schema });
      named.add(response.schema);
    }
  }
  const unused = Object.keys(responseSchemas).filter((name) => !named.has(name));
  if (unused.length > 0) throw new Error(`response schemas no route names: ${unused.join(', ')}`);
  const requestSchemas = requests.render('input');
  const responseComponents = responses.render('output');
  for (const name of Object.keys(requestSchemas)) {
    if (name in responseComponents) throw new Error(`${name} names both a request and a response schema`);
  }

  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method] !== undefined) throw new Error(`route ${route.method} ${route.path} is listed twice`);
    item[method] = operationOf(route);
  }

  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { ...requestSchemas, ...responseComponents },
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'claims: sub, role (officer | applicant), enterprises (the enterprise ids an applicant acts for)',
        },
      },
    },
  };
}
