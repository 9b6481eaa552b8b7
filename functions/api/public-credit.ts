import { localDateIn } from '../../domain/dates.ts';
import { clock } from '../composition/clock.ts';
import { storeReader } from '../composition/store.ts';
import { bodilessRouteHandler } from '../http/bodiless-handler.ts';
import { negotiate } from '../http/negotiate.ts';
import { problemFromDomainError } from '../http/middleware.ts';
import { ProblemError } from '../http/problem.ts';
import { html, json } from '../http/response.ts';
import { renderPublicCreditNotFoundPage, renderPublicCreditPage } from '../pages/public/credit.ts';
import { EnterpriseNotFoundError } from '../usecases/enterprises/errors.ts';
import { loadEnterprise } from '../usecases/enterprises/records.ts';
import { publicCreditView } from '../usecases/enterprises/view.ts';
import { getPublicCreditRoute } from './routes/get-public-credit.ts';

/** The answer depends on Accept: caches must keep the page and the JSON apart. */
const VARY = { vary: 'Accept' };

/**
 * GET /public/credit/{enterpriseId}: what anyone may know of an enterprise's credit status. JSON
 * unless the client weights text/html above it (a browser): then the same status as a bilingual
 * page (functions/http/negotiate.ts says how Accept is read).
 */
export const getPublicCredit = bodilessRouteHandler(getPublicCreditRoute, async ({ params, headers }) => {
  const as = negotiate(headers['accept'], ['application/json', 'text/html']);
  const now = clock().now();
  const enterprise = await loadEnterprise(storeReader(), params.enterpriseId);
  if (enterprise === null) {
    if (as === 'text/html') return html(404, renderPublicCreditNotFoundPage(params.enterpriseId), VARY);
    const problem = problemFromDomainError(new EnterpriseNotFoundError(params.enterpriseId));
    throw new ProblemError({ ...problem, headers: VARY });
  }
  const today = localDateIn(now);
  const view = publicCreditView(enterprise, today);
  return as === 'text/html'
    ? html(
        200,
        renderPublicCreditPage({
          enterpriseId: view.enterpriseId,
          name: view.name,
          tier: view.tier,
          listing: view.listing,
          asOf: today,
        }),
        VARY,
      )
    : json(200, view, VARY);
});
