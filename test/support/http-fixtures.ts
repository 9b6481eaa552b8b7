import { int, object, string } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { assertCanActFor } from '../../functions/auth/principal.ts';
import { httpHandler } from '../../functions/http/handler.ts';
import { ProblemError } from '../../functions/http/problem.ts';
import { html, json } from '../../functions/http/response.ts';
import type { RouteDefinition } from '../../functions/http/route.ts';
import { EnterpriseId } from '../../domain/tiers.ts';

/**
 * Handlers for HTTP-layer tests: small, but built exactly as real ones are (httpHandler, zod,
 * roles), so the tests exercise the real stack through the gateway.
 */

const Widget = object({ name: string().min(1), count: int().min(0) });

/** Officers only; echoes the validated body, so tests can see what the handler received. */
export const createWidget = httpHandler({
  auth: 'required',
  roles: ['officer'],
  body: Widget,
  handle: async ({ body, principal }) => json(201, { widget: body, by: principal.subject }),
});

/** Officers and the applicants of that enterprise. */
export const getOwnEnterprise = httpHandler({
  auth: 'required',
  roles: ['officer', 'applicant'],
  params: object({ id: EnterpriseId }),
  handle: async ({ params, principal }) => {
    assertCanActFor(principal, params.id);
    return json(200, { id: params.id, role: principal.role });
  },
});

/** A form post, as the review page sends. */
export const postForm = httpHandler({
  auth: 'public',
  body: object({ decision: string().min(1), comment: string().optional() }),
  bodyKind: 'form',
  handle: async ({ body }) => html(200, `<p>${body.decision}</p>`),
});

/** Query and header validation together. */
export const search = httpHandler({
  auth: 'public',
  query: object({ limit: string().regex(/^\d+$/), q: string().optional() }),
  headers: object({ 'idempotency-key': string().min(1) }),
  handle: async ({ query, headers }) => json(200, { query, key: headers['idempotency-key'] }),
});

export const conflict = httpHandler({
  auth: 'public',
  handle: async () => {
    throw new DomainError('WRONG_STATUS', 'the application is not awaiting evidence', { status: 'APPROVED' });
  },
});

export const refused = httpHandler({
  auth: 'public',
  handle: async () => {
    throw new ProblemError({
      status: 422,
      code: 'NOT_ELIGIBLE',
      detail: 'The enterprise may not apply yet.',
      reasons: [
        { code: 'RECTIFICATION_PERIOD_NOT_MET', detail: 'wait', earliestApplicationOn: '2026-09-01' },
      ],
      extensions: { earliestApplicationOn: '2026-09-01' },
    });
  },
});

/** A bug: the stack must answer 500 INTERNAL without showing this message. */
export const crash = httpHandler({
  auth: 'public',
  handle: async () => {
    throw new Error('secret internal detail: connection string xyz');
  },
});

const MODULE = 'test/support/http-fixtures.ts';
const route = (
  method: RouteDefinition['method'],
  path: string,
  exportName: string,
  auth: RouteDefinition['auth'],
): RouteDefinition => ({
  method,
  path,
  module: MODULE,
  exportName,
  auth,
  tag: 'test',
  summary: exportName,
  responses: {},
});

export const FIXTURE_ROUTES: readonly RouteDefinition[] = [
  route('POST', '/widgets', 'createWidget', 'jwt'),
  route('GET', '/own/{id}', 'getOwnEnterprise', 'jwt'),
  route('POST', '/form', 'postForm', 'public'),
  route('GET', '/search', 'search', 'public'),
  route('POST', '/conflict', 'conflict', 'public'),
  route('POST', '/refused', 'refused', 'public'),
  route('GET', '/crash', 'crash', 'public'),
  route('GET', '/not-written-yet', 'missingExport', 'public'),
];
