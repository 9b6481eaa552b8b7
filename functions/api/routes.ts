import { routeIndex, type RouteDefinition } from '../http/route.ts';
import { getHealthRoute } from './routes/get-health.ts';
import { getOpenApiRoute } from './routes/get-open-api.ts';
import { createEnterpriseRoute } from './routes/create-enterprise.ts';
import { getEnterpriseRoute } from './routes/get-enterprise.ts';
import { findEnterprisesRoute } from './routes/find-enterprises.ts';
import { getEligibilityRoute } from './routes/get-eligibility.ts';
import { listEnterpriseEventsRoute } from './routes/list-enterprise-events.ts';
import { recordFactRoute } from './routes/record-fact.ts';
import { recordPaymentRoute } from './routes/record-payment.ts';
import { voidFactRoute } from './routes/void-fact.ts';
import { putReviewerRoute } from './routes/put-reviewer.ts';
import { confirmReviewerChangeRoute } from './routes/confirm-reviewer-change.ts';
import { cancelReviewerChangeRoute } from './routes/cancel-reviewer-change.ts';
import { getReviewerHistoryRoute } from './routes/get-reviewer-history.ts';
import { listReviewersRoute } from './routes/list-reviewers.ts';
import { createApplicationRoute } from './routes/create-application.ts';
import { getApplicationRoute } from './routes/get-application.ts';
import { getApplicationWorkflowRoute } from './routes/get-application-workflow.ts';
import { listApplicationsRoute } from './routes/list-applications.ts';
import { requestUploadRoute } from './routes/request-upload.ts';
import { submitEvidenceRoute } from './routes/submit-evidence.ts';
import { withdrawApplicationRoute } from './routes/withdraw-application.ts';
import { showReviewRoute } from './routes/show-review.ts';
import { decideReviewRoute } from './routes/decide-review.ts';
import { openReviewDocumentRoute } from './routes/open-review-document.ts';
import { getPublicCreditRoute } from './routes/get-public-credit.ts';

/**
 * THE route table: every route of CONTRACT.md's HTTP API, once. The CDK HTTP API creates one
 * route per entry (JWT authorizer on `jwt` entries), the local gateway serves it, and
 * `GET /openapi.json` is generated from it. Handler modules are named, not imported.
 *
 * `roles` is what the route admits at all; "own applicant" (an applicant acting only for its
 * enterprises) is checked by the handler, which knows the enterprise.
 */

export const ROUTE = routeIndex([
  getHealthRoute,
  getOpenApiRoute,
  createEnterpriseRoute,
  getEnterpriseRoute,
  findEnterprisesRoute,
  getEligibilityRoute,
  listEnterpriseEventsRoute,
  recordFactRoute,
  recordPaymentRoute,
  voidFactRoute,
  putReviewerRoute,
  confirmReviewerChangeRoute,
  cancelReviewerChangeRoute,
  getReviewerHistoryRoute,
  listReviewersRoute,
  createApplicationRoute,
  getApplicationRoute,
  getApplicationWorkflowRoute,
  listApplicationsRoute,
  requestUploadRoute,
  submitEvidenceRoute,
  withdrawApplicationRoute,
  showReviewRoute,
  decideReviewRoute,
  openReviewDocumentRoute,
  getPublicCreditRoute,
]);

/** Every route, in the table's order (the OpenAPI document's order). */
export const ROUTES: readonly RouteDefinition[] = Object.values(ROUTE);
