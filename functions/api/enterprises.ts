import { localDateIn } from '../../domain/dates.ts';
import { actorOf, assertCanActFor } from '../auth/principal.ts';
import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { workflow } from '../composition/workflow.ts';
import { routeHandler } from '../http/handler.ts';
import { ROUTE } from './routes.ts';
import { json } from '../http/response.ts';
import {
  recordFact as recordFactUseCase,
  recordPayment as recordPaymentUseCase,
  settleFactChange,
  voidFact as voidFactUseCase,
} from '../usecases/enterprises/facts.ts';
import { enterpriseEligibility } from '../usecases/enterprises/eligibility.ts';
import { findEnterprises as findEnterprisePage } from '../usecases/enterprises/find.ts';
import { requireEnterprise } from '../usecases/enterprises/records.ts';
import { listEnterpriseEvents as listEventPage } from '../usecases/enterprises/timeline.ts';
import { createEnterprise as registerEnterprise } from '../usecases/enterprises/register.ts';
import { enterpriseView } from '../usecases/enterprises/view.ts';

/**
 * Enterprise routes (CONTRACT.md): register, read, and the officers' fact history. A fact change
 * that determines a cause the open application does not cover ends that application at once
 * (RULES.md §6.1); the answer shows the enterprise after it.
 */

/** The ports a fact change uses: its records, and the open application it may end (its waiting task). */
const factPorts = () => ({ store: store(), clock: clock(), workflow: workflow() });

export const createEnterprise = routeHandler(ROUTE.createEnterprise, async ({ body }) => {
  const now = clock().now().toISOString();
  const enterprise = await registerEnterprise(store(), body, now);
  return json(201, enterpriseView(enterprise, localDateIn(now)), {
    location: `/enterprises/${enterprise.profile.id}`,
  });
});

export const getEnterprise = routeHandler(ROUTE.getEnterprise, async ({ params, principal }) => {
  assertCanActFor(principal, params.id);
  const enterprise = await requireEnterprise(store(), params.id);
  return json(200, enterpriseView(enterprise, localDateIn(clock().now())));
});

const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_EVENTS_PAGE_SIZE = 50;

export const findEnterprises = routeHandler(ROUTE.findEnterprises, async ({ query }) => {
  const page = await findEnterprisePage(
    store(),
    {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
    },
    localDateIn(clock().now()),
  );
  return json(200, page);
});

export const getEligibility = routeHandler(ROUTE.getEligibility, async ({ params, principal }) => {
  assertCanActFor(principal, params.id);
  return json(200, await enterpriseEligibility(store(), params.id, localDateIn(clock().now())));
});

export const listEnterpriseEvents = routeHandler(
  ROUTE.listEnterpriseEvents,
  async ({ params, query, principal }) => {
    assertCanActFor(principal, params.id);
    const page = await listEventPage(store(), params.id, {
      limit: query.limit ?? DEFAULT_EVENTS_PAGE_SIZE,
      ...(query.nextToken === undefined ? {} : { nextToken: query.nextToken }),
    });
    return json(200, page);
  },
);

export const recordFact = routeHandler(ROUTE.recordFact, async ({ params, body, principal }) => {
  const ports = factPorts();
  const who = { now: ports.clock.now().toISOString(), actor: actorOf(principal) };
  const change = await recordFactUseCase(ports.store, params.id, body, who);
  return json(201, await settleFactChange(ports, change, who));
});

export const recordPayment = routeHandler(ROUTE.recordPayment, async ({ params, body, principal }) => {
  const ports = factPorts();
  const who = { now: ports.clock.now().toISOString(), actor: actorOf(principal) };
  const change = await recordPaymentUseCase(ports.store, params.id, params.factId, body, who);
  return json(200, await settleFactChange(ports, change, who));
});

export const voidFact = routeHandler(ROUTE.voidFact, async ({ params, body, principal }) => {
  const ports = factPorts();
  const who = { now: ports.clock.now().toISOString(), actor: actorOf(principal) };
  const change = await voidFactUseCase(ports.store, params.id, params.factId, body, who);
  return json(200, await settleFactChange(ports, change, who));
});
