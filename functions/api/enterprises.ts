import { localDateIn } from '../../domain/dates.ts';
import { settleOpenApplication } from '../usecases/applications/causes-changed.ts';
import { assertCanActFor, type Principal } from '../auth/claims.ts';
import { nowIso } from '../composition/clock.ts';
import { createEnterprise as registerEnterprise } from '../usecases/enterprises/register.ts';
import { enterpriseView, factView } from '../usecases/enterprises/view.ts';
import {
  recordFact as recordFactUseCase,
  recordPayment as recordPaymentUseCase,
  voidFact as voidFactUseCase,
  type FactChange,
} from '../usecases/enterprises/facts.ts';
import { requireEnterprise } from '../usecases/enterprises/records.ts';
import { httpHandler } from '../http/handler.ts';
import { json } from '../http/response.ts';
import { store as storePort } from '../composition/store.ts';
import { type Store } from '../ports/store/store.ts';
import {
  CreateEnterpriseBody,
  EnterprisePathParams,
  FactPathParams,
  RecordFactBody,
  RecordPaymentBody,
  VoidFactBody,
} from './schemas.ts';

/**
 * Enterprise routes (CONTRACT.md): register, read, and the officers' fact history. A fact change
 * that determines a cause the open application does not cover ends that application at once
 * (RULES.md §6.1); the answer shows the enterprise after it.
 */

const actorOf = (principal: Principal): string => `${principal.role}:${principal.subject}`;

async function factChangeBody(store: Store, change: FactChange, now: string, actor: string) {
  const { enterprise } = await settleOpenApplication(store, change.enterprise, new Date(now), actor);
  return { fact: factView(change.fact), enterprise: enterpriseView(enterprise, localDateIn(now)) };
}

export const createEnterprise = httpHandler({
  auth: 'required',
  roles: ['officer'],
  body: CreateEnterpriseBody,
  handle: async ({ body }) => {
    const now = nowIso();
    const enterprise = await registerEnterprise(storePort(), body, now);
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
    const enterprise = await requireEnterprise(storePort(), params.id);
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
    const store = storePort();
    const who = { now, actor: actorOf(principal) };
    const change = await recordFactUseCase(store, params.id, body, who);
    return json(201, await factChangeBody(store, change, now, who.actor));
  },
});

export const recordPayment = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: FactPathParams,
  body: RecordPaymentBody,
  handle: async ({ params, body, principal }) => {
    const now = nowIso();
    const store = storePort();
    const who = { now, actor: actorOf(principal) };
    const change = await recordPaymentUseCase(store, params.id, params.factId, body, who);
    return json(200, await factChangeBody(store, change, now, who.actor));
  },
});

export const voidFact = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: FactPathParams,
  body: VoidFactBody,
  handle: async ({ params, body, principal }) => {
    const now = nowIso();
    const store = storePort();
    const who = { now, actor: actorOf(principal) };
    const change = await voidFactUseCase(store, params.id, params.factId, body, who);
    return json(200, await factChangeBody(store, change, now, who.actor));
  },
});
