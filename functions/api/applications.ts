import { setTimeout as sleep } from 'node:timers/promises';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { submitApplication } from '../usecases/applications/submit.ts';
import {
  listApplications as listApplicationPage,
  requireApplicationView,
  type ApplicationView,
} from '../usecases/applications/view.ts';
import { withdrawApplication as withdraw } from '../usecases/applications/withdraw.ts';
import { assertCanActFor, type Principal } from '../auth/claims.ts';
import { dynamoClient } from '../adapters/dynamodb/client.ts';
import { requiredEnv } from '../composition/environment.ts';
import { now } from '../composition/clock.ts';
import { httpHandler } from '../http/handler.ts';
import { ProblemError } from '../http/problem.ts';
import { json } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { store as storePort } from '../composition/store.ts';
import { TABLE_NAME_ENV, TABLE_SCHEMA } from '../ports/store/schema.ts';
import {
  ApplicationPathParams,
  CreateApplicationBody,
  IdempotencyHeaders,
  ListApplicationsQuery,
} from './schemas.ts';

/**
 * The application routes (CONTRACT.md): thin adapters from HTTP to the use cases in
 * functions/lib/applications. Each parses (httpHandler + zod), checks who may act, calls one use
 * case and maps its result or refusal to a status.
 */

const DEFAULT_PAGE_SIZE = 20;

// ---------------------------------------------------------------------------------------------
// POST /applications, idempotent

/**
 * How long a key answers with its first response. dynalite has no TTL, so locally the record
 * stays; Powertools compares `expiration` itself, so an expired record is replaced all the same.
 */
export const IDEMPOTENCY_EXPIRY_SECONDS = 24 * 60 * 60;

/**
 * The partition of every idempotency record of this route; sort key `createApplication#<hash>`.
 * The deployed function may DeleteItem in this partition only (infra/function-access.ts imports
 * it), which Powertools needs to free a key when the wrapped call throws.
 */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY#createApplication';

/** How long a duplicate waits for the first request of its key before answering 409 IN_PROGRESS. */
const IN_PROGRESS_WAITS_MS = [50, 100, 200, 400, 800, 1200] as const;

interface CreateCall {
  readonly subject: string;
  readonly idempotencyKey: string;
  readonly body: CreateApplicationBody;
  readonly principal: Principal;
}

interface StoredResponse {
  readonly status: number;
  readonly location: string;
  readonly application: ApplicationView;
}

type CreateOnce = (call: CreateCall, context: Context) => Promise<StoredResponse>;

let idempotent:
  { readonly tableName: string; readonly client: DynamoDBClient; readonly create: CreateOnce } | undefined;

/**
 * The idempotent submission, built on first use (again when the table or the shared client
 * changes) so the table and the DynamoDB endpoint come from the environment the composition root set. The record lives on the one table under Powertools'
 * own keys (pk IDEMPOTENCY_PARTITION, sk the hash of subject and key); the body's hash
 * is validated, so a key reused with another body is refused instead of answered with the first.
 */
function createOnce(): CreateOnce {
  const tableName = requiredEnv(TABLE_NAME_ENV);
  const client = dynamoClient();
  if (idempotent?.tableName === tableName && idempotent.client === client) return idempotent.create;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[subject, idempotencyKey]',
    payloadValidationJmesPath: 'body',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    // Named here: Powertools' default would derive it from the Lambda function name, which
    // differs between deployments and the embedded runtime.
    staticPkValue: IDEMPOTENCY_PARTITION,
    // The table's TTL attribute (Powertools' default name, stated so the two cannot drift apart):
    // DynamoDB deletes records after their 24 hours; Powertools checks the expiry itself.
    expiryAttr: TABLE_SCHEMA.ttlAttribute,
    awsSdkV3Client: client,
  });
  const submit = async (call: CreateCall): Promise<StoredResponse> => {
    const store = storePort();
    const record = await submitApplication(store, call.body, call.principal, now());
    setApplicationCorrelation(record.state.id);
    return {
      status: 201,
      location: `/applications/${record.state.id}`,
      application: await requireApplicationView(store, record.state.id),
    };
  };
  const wrapped = makeIdempotent(submit, {
    persistenceStore,
    config,
    keyPrefix: 'createApplication',
    dataIndexArgument: 0,
  });
  const create: CreateOnce = (call, context) => {
    // The in-progress record expires with this invocation, so a crashed attempt frees its key.
    config.registerLambdaContext(context);
    return wrapped(call);
  };
  idempotent = { tableName, client, create };
  return create;
}

async function createWaitingForDuplicates(call: CreateCall, context: Context): Promise<StoredResponse> {
  const create = createOnce();
  for (const wait of [...IN_PROGRESS_WAITS_MS, undefined]) {
    try {
      return await create(call, context);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw new ProblemError({
          status: 409,
          code: 'IDEMPOTENCY_KEY_REUSED',
          detail: 'This Idempotency-Key was used with another body; use a new key for a new request.',
        });
      }
      if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
      // A concurrent request with the same key is still running: wait for its answer and replay it.
      if (wait === undefined) break;
      await sleep(wait);
    }
  }
  throw new ProblemError({
    status: 409,
    code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    headers: { 'retry-after': '1' },
  });
}

export const createApplication = httpHandler({
  auth: 'required',
  roles: ['officer', 'applicant'],
  headers: IdempotencyHeaders,
  body: CreateApplicationBody,
  handle: async ({ body, headers, principal, context }) => {
    assertCanActFor(principal, body.enterpriseId);
    const response = await createWaitingForDuplicates(
      { subject: principal.subject, idempotencyKey: headers['idempotency-key'], body, principal },
      context,
    );
    setApplicationCorrelation(response.application.id);
    return json(response.status, response.application, { location: response.location });
  },
});

// ---------------------------------------------------------------------------------------------
// GET /applications/{id}

export const getApplication = httpHandler({
  auth: 'required',
  roles: ['officer', 'applicant'],
  params: ApplicationPathParams,
  handle: async ({ params, principal }) => {
    setApplicationCorrelation(params.id);
    const view = await requireApplicationView(storePort(), params.id);
    assertCanActFor(principal, view.enterpriseId);
    return json(200, view);
  },
});

// ---------------------------------------------------------------------------------------------
// GET /applications

export const listApplications = httpHandler({
  auth: 'required',
  roles: ['officer', 'applicant'],
  query: ListApplicationsQuery,
  handle: async ({ query, principal }) => {
    if (principal.role === 'applicant') {
      if (query.enterpriseId === undefined) {
        throw ProblemError.of('VALIDATION_FAILED', 'Applicants must name one of their enterprises.', {
          errors: [{ in: 'query', path: 'enterpriseId', message: 'required for applicants' }],
        });
      }
      assertCanActFor(principal, query.enterpriseId);
    }
    const page = await listApplicationPage(storePort(), {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      ...(query.enterpriseId === undefined ? {} : { enterpriseId: query.enterpriseId }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
    });
    return json(200, page);
  },
});

// ---------------------------------------------------------------------------------------------
// POST /applications/{id}/withdraw

export const withdrawApplication = httpHandler({
  auth: 'required',
  roles: ['applicant'],
  params: ApplicationPathParams,
  handle: async ({ params, principal }) => {
    setApplicationCorrelation(params.id);
    const store = storePort();
    const record = await withdraw(store, params.id, principal, now());
    return json(200, await requireApplicationView(store, record.state.id));
  },
});
