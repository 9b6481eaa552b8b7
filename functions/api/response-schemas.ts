import { Application, ApplicationList, UploadTicket } from './schemas/applications.ts';
import {
  EligibilityResponse,
  Enterprise,
  EnterpriseEventList,
  EnterpriseList,
  FactWithEnterprise,
} from './schemas/enterprises.ts';
import { PublicCredit } from './schemas/public-credit.ts';
import {
  ConfirmedReviewerChange,
  ProposedReviewerChange,
  Reviewer,
  ReviewerChange,
  ReviewerDirectory,
  ReviewerHistory,
} from './schemas/reviewers.ts';
import { HealthResponse } from './schemas/service.ts';
import { ApplicationWorkflow } from './schemas/workflow.ts';

/**
 * The schema of every JSON response body, by the name a route's entry gives it
 * (`responses[status].schema`, also its name under components/schemas in the OpenAPI document).
 * Only the OpenAPI document and the response-schema tests read these; a handler builds its
 * answer from the domain's types and never parses it, so the route entries name the schemas
 * rather than import them, and no handler's bundle carries them.
 */
export const RESPONSE_SCHEMAS = {
  Health: HealthResponse,
  Enterprise,
  EnterpriseList,
  Eligibility: EligibilityResponse,
  EnterpriseEventList,
  FactWithEnterprise,
  ReviewerDirectory,
  Reviewer,
  ProposedReviewerChange,
  ConfirmedReviewerChange,
  ReviewerChange,
  ReviewerHistory,
  Application,
  ApplicationList,
  ApplicationWorkflow,
  UploadTicket,
  PublicCredit,
} as const;
