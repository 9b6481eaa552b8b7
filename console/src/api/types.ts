import type { output } from 'zod';
import type {
  Application as ApplicationSchema,
  ApplicationList as ApplicationListSchema,
  ApplicationWorkflow as ApplicationWorkflowSchema,
  EligibilityResponse as EligibilitySchema,
  EnterpriseEventList as EnterpriseEventListSchema,
  EnterpriseList as EnterpriseListSchema,
  Enterprise as EnterpriseSchema,
  FactWithEnterprise as FactWithEnterpriseSchema,
  ReviewerDirectory as ReviewerDirectorySchema,
  UploadTicket as UploadTicketSchema,
} from '../../../functions/api/schemas.ts';

/**
 * The wire shapes, as the API's own zod schemas (which also generate the OpenAPI document) say:
 * type-only imports, so nothing of the API's code reaches the bundle, and a changed response shape
 * fails the console's typecheck instead of a screen.
 */
export type Enterprise = output<typeof EnterpriseSchema>;
export type Fact = Enterprise['facts'][number];
export type Cause = Enterprise['causes'][number];
export type FactWithEnterprise = output<typeof FactWithEnterpriseSchema>;
export type Application = output<typeof ApplicationSchema>;
export type ApplicationList = output<typeof ApplicationListSchema>;
export type ApplicationSummary = ApplicationList['items'][number];
export type TimelineEntry = Application['timeline'][number];
export type ReviewerDirectory = output<typeof ReviewerDirectorySchema>;
export type UploadTicket = output<typeof UploadTicketSchema>;
export type EnterpriseList = output<typeof EnterpriseListSchema>;
export type EnterpriseSummary = EnterpriseList['items'][number];
export type Eligibility = output<typeof EligibilitySchema>;
export type EnterpriseEventList = output<typeof EnterpriseEventListSchema>;
export type EnterpriseEvent = EnterpriseEventList['items'][number];
export type ApplicationWorkflow = output<typeof ApplicationWorkflowSchema>;
