/**
 * The `/_local/*` routes of the embedded runtime (CONTRACT.md, "Embedded runtime controls"): dev
 * tokens, the outbox as JSON and as the dev inbox, the simulated clock, a sweep on demand, the
 * workflow executions of an application, and transient faults to arm (local/faults/faults.ts).
 * They are served beside the route table by the local gateway and are never deployed. Each is an
 * httpHandler like the API's, so bad input gets the same problem documents.
 */
import * as z from 'zod';
import { EnterpriseId } from '../domain/tiers.ts';
import { httpHandler } from '../functions/http/handler.ts';
import { ProblemError } from '../functions/http/problem.ts';
import { html, json } from '../functions/http/response.ts';
import { listOutbox } from '../functions/adapters/outbox/mailer.ts';
import type { DevAuth } from './dev-auth.ts';
import type { ExtraRoute } from './gateway/gateway.ts';
import {
  INBOX_PAGE_CSP,
  INBOX_PATH,
  MESSAGE_FRAME_CSP,
  messageHtmlForFrame,
  OUTBOX_HTML_PATH,
  renderInbox,
  renderMessage,
  renderMissingMessage,
} from './inbox-page.ts';
import { ClockBackwardsError, type SimulatedClock } from './services/simulated-clock.ts';
import type { SweepCounts } from './services/sweep.ts';
import { FaultRequest, TooManyFaultsError, type FaultBook } from './faults/faults.ts';
import type { LocalStepFunctions } from './stepfunctions/engine.ts';

export interface ControlsOptions {
  readonly auth: DevAuth;
  readonly clock: SimulatedClock;
  readonly outboxDir: string;
  readonly runSweep: () => Promise<SweepCounts>;
  readonly faults: FaultBook;
  readonly engine: Pick<LocalStepFunctions, 'executionsOf'>;
}

export const TokenQuery = z
  .object({
    role: z.enum(['officer', 'applicant']),
    enterprise: z.string().optional(),
    // A second officer (four-eyes changes need two): the token's subject.
    sub: z
      .string()
      .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'letters, digits, . _ @ or -')
      .optional(),
  })
  .transform((query, ctx) => {
    if (query.role === 'officer') {
      return {
        role: 'officer' as const,
        enterprises: [],
        ...(query.sub === undefined ? {} : { subject: query.sub }),
      };
    }
    const ids = (query.enterprise ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    if (ids.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['enterprise'],
        message: 'an applicant token names enterprise ids',
      });
      return z.NEVER;
    }
    for (const id of ids) {
      if (!EnterpriseId.safeParse(id).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['enterprise'],
          message: `${id} is not a 10-character customs code`,
        });
        return z.NEVER;
      }
    }
    return {
      role: 'applicant' as const,
      enterprises: [...new Set(ids)],
      ...(query.sub === undefined ? {} : { subject: query.sub }),
    };
  });

export const ClockBody = z.strictObject({ now: z.iso.datetime({ offset: true }) });

export const MessagePath = z.object({ id: z.string().min(1).max(100) });

/** GET /_local/executions: one application's executions, or every one without the parameter. */
export const ExecutionsQuery = z.object({
  applicationId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'an id of letters, digits, _ or -')
    .optional(),
});

/** POST /_local/faults: local/faults/faults.ts says what may fail and how. */
export const FaultBody = FaultRequest;

const htmlPage = (status: number, markup: string) =>
  html(status, markup, { 'content-security-policy': INBOX_PAGE_CSP });

const clockView = (now: Date) => ({ now: now.toISOString() });

export function localControlRoutes(options: ControlsOptions): ExtraRoute[] {
  const { auth, clock, outboxDir } = options;
  return [
    {
      method: 'GET',
      path: '/_local/token',
      request: { query: TokenQuery },
      handler: httpHandler({
        auth: 'public',
        query: TokenQuery,
        handle: async ({ query }) =>
          json(200, {
            token: await auth.mintToken({
              role: query.role,
              enterprises: query.enterprises,
              ...('subject' in query && query.subject !== undefined ? { subject: query.subject } : {}),
            }),
          }),
      }),
    },
    {
      method: 'GET',
      path: '/_local/outbox',
      handler: httpHandler({
        auth: 'public',
        handle: async () => json(200, await listOutbox(outboxDir)),
      }),
    },
    {
      // One message's HTML part alone, for the console's inbox to show in a sandboxed frame: the
      // mail's own markup under a CSP that runs no script and opens links in a new tab.
      method: 'GET',
      path: OUTBOX_HTML_PATH,
      request: { params: MessagePath },
      handler: httpHandler({
        auth: 'public',
        params: MessagePath,
        handle: async ({ params }) => {
          const entry = (await listOutbox(outboxDir)).find((e) => e.id === params.id);
          return entry === undefined
            ? htmlPage(404, renderMissingMessage())
            : html(200, messageHtmlForFrame(entry.html), {
                'content-security-policy': MESSAGE_FRAME_CSP,
                'x-frame-options': 'SAMEORIGIN',
              });
        },
      }),
    },
    {
      method: 'GET',
      path: INBOX_PATH,
      handler: httpHandler({
        auth: 'public',
        handle: async () => htmlPage(200, renderInbox(await listOutbox(outboxDir))),
      }),
    },
    {
      method: 'GET',
      path: `${INBOX_PATH}/{id}`,
      request: { params: MessagePath },
      handler: httpHandler({
        auth: 'public',
        params: MessagePath,
        handle: async ({ params }) => {
          // The outbox is small (a development machine's mail); reading it whole keeps one code path.
          const entry = (await listOutbox(outboxDir)).find((e) => e.id === params.id);
          return entry === undefined
            ? htmlPage(404, renderMissingMessage())
            : htmlPage(200, renderMessage(entry));
        },
      }),
    },
    {
      method: 'GET',
      path: '/_local/clock',
      handler: httpHandler({ auth: 'public', handle: async () => json(200, clockView(clock.now())) }),
    },
    {
      method: 'POST',
      path: '/_local/clock',
      request: { body: ClockBody },
      handler: httpHandler({
        auth: 'public',
        body: ClockBody,
        handle: async ({ body }) => {
          try {
            return json(200, clockView(await clock.moveTo(new Date(body.now))));
          } catch (error) {
            if (!(error instanceof ClockBackwardsError)) throw error;
            throw new ProblemError({
              status: 422,
              code: 'CLOCK_BACKWARDS',
              title: 'The clock only moves forward',
              detail: error.message,
              extensions: { now: error.current },
            });
          }
        },
      }),
    },
    {
      method: 'POST',
      path: '/_local/sweep',
      handler: httpHandler({
        auth: 'public',
        handle: async () => json(200, await options.runSweep()),
      }),
    },
    {
      method: 'GET',
      path: '/_local/executions',
      request: { query: ExecutionsQuery },
      handler: httpHandler({
        auth: 'public',
        query: ExecutionsQuery,
        handle: async ({ query }) =>
          json(200, { executions: options.engine.executionsOf(query.applicationId) }),
      }),
    },
    {
      method: 'GET',
      path: '/_local/faults',
      handler: httpHandler({
        auth: 'public',
        handle: async () => json(200, { faults: options.faults.list() }),
      }),
    },
    {
      method: 'POST',
      path: '/_local/faults',
      request: { body: FaultBody },
      handler: httpHandler({
        auth: 'public',
        body: FaultBody,
        handle: async ({ body }) => {
          try {
            return json(201, { fault: options.faults.arm(body) });
          } catch (error) {
            if (!(error instanceof TooManyFaultsError)) throw error;
            throw new ProblemError({
              status: 409,
              code: 'TOO_MANY_FAULTS',
              title: 'Too many faults armed',
              detail: error.message,
            });
          }
        },
      }),
    },
    {
      method: 'DELETE',
      path: '/_local/faults',
      handler: httpHandler({
        auth: 'public',
        handle: async () => json(200, { cleared: options.faults.clear() }),
      }),
    },
  ];
}
