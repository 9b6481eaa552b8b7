import { localDateIn } from '../../domain/dates.ts';
import { assertCanActFor, type Principal } from '../lib/auth.ts';
import { nowIso } from '../lib/clock.ts';
import {
  createEnterprise as registerEnterprise,
  enterpriseView,
  recordFact as recordFactUseCase,
  recordPayment as recordPaymentUseCase,
  requireEnterprise,
  voidFact as voidFactUseCase,
  factView,
  type FactChange,
} from '../lib/enterprises/index.ts';
import { httpHandler } from '../lib/http/handler.ts';
import { json } from '../lib/http/response.ts';
import { storeFromEnv } from '../lib/store/index.ts';
import {
  CreateEnterpriseBody,
  EnterprisePathParams,
  FactPathParams,
  RecordFactBody,
  RecordPaymentBody,
  VoidFactBody,
} from './schemas.ts';

/** Enterprise routes (CONTRACT.md): register, read, and the officers' fact history. */

const actorOf = (principal: Principal): string => `${principal.role}:${principal.subject}`;

const factChangeBody = (change: FactChange, now: string) => ({
  fact: factView(change.fact),
  enterprise: enterpriseView(change.enterprise, localDateIn(now)),
});

export const createEnterprise = httpHandler({
  auth: 'required',
  roles: ['officer'],
  body: CreateEnterpriseBody,
  handle: async ({ body }) => {
    const now = nowIso();
    const enterprise = await registerEnterprise(storeFromEnv(), body, now);
    return json(201, enterpriseView(enterprise, localDateIn(now)), {
      location: `/enterprises/${enterprise.profile.id}`,
    });
  },
});

export const getEnterprise = httpHandler({
  auth: 'required',
  roles: ['officer', 'applicant'],
  params: EnterprisePathParams,
  handle: async ({ params, principal }) => {
    assertCanActFor(principal, params.id);
    const now = nowIso();
    const enterprise = await requireEnterprise(storeFromEnv(), params.id);
    return json(200, enterpriseView(enterprise, localDateIn(now)));
  },
});

export const recordFact = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: EnterprisePathParams,
  body: RecordFactBody,
  handle: async ({ params, body, principal }) => {
    const now = nowIso();
    const change = await recordFactUseCase(storeFromEnv(), params.id, body, {
      now,
      actor: actorOf(principal),
    });
    return json(201, factChangeBody(change, now));
  },
});

export const recordPayment = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: FactPathParams,
  body: RecordPaymentBody,
  handle: async ({ params, body, principal }) => {
    const now = nowIso();
    const change = await recordPaymentUseCase(storeFromEnv(), params.id, params.factId, body, {
      now,
      actor: actorOf(principal),
    });
    return json(200, factChangeBody(change, now));
  },
});

export const voidFact = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: FactPathParams,
  body: VoidFactBody,
  handle: async ({ params, body, principal }) => {
    const now = nowIso();
    const change = await voidFactUseCase(storeFromEnv(), params.id, params.factId, body, {
      now,
      actor: actorOf(principal),
    });
    return json(200, factChangeBody(change, now));
  },
});
