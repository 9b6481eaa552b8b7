import { get, request } from './client.ts';
import type {
  Application,
  ApplicationList,
  ApplicationWorkflow,
  Eligibility,
  Enterprise,
  EnterpriseEventList,
  EnterpriseList,
  FactWithEnterprise,
  ReviewerDirectory,
  UploadTicket,
} from './types.ts';

/** The API routes the console calls, one function each, with the cache keys their answers live under. */

const path = (text: string) => encodeURIComponent(text);

export const keys = {
  enterprise: (id: string) => `enterprise:${id}`,
  enterprises: (query: string) => `enterprises:${query}`,
  eligibility: (id: string) => `enterprise:${id}:eligibility`,
  enterpriseEvents: (id: string) => `enterprise:${id}:events`,
  workflow: (id: string) => `application:${id}:workflow`,
  applications: (query: string) => `applications:${query}`,
  application: (id: string) => `application:${id}`,
  reviewers: () => 'reviewers',
};

export const getEnterprise = (id: string) => get<Enterprise>(`/enterprises/${path(id)}`);

export const findEnterprises = (query: URLSearchParams) =>
  get<EnterpriseList>(`/enterprises${query.size > 0 ? `?${query.toString()}` : ''}`);

export const getEligibility = (id: string) => get<Eligibility>(`/enterprises/${path(id)}/eligibility`);

export const getEnterpriseEvents = (id: string) =>
  get<EnterpriseEventList>(`/enterprises/${path(id)}/events?limit=100`);

export const getWorkflow = (id: string) => get<ApplicationWorkflow>(`/applications/${path(id)}/workflow`);

export const recordFact = async (enterpriseId: string, body: Record<string, unknown>) =>
  (await request<FactWithEnterprise>('POST', `/enterprises/${path(enterpriseId)}/facts`, { body })).data;

export const recordPayment = async (enterpriseId: string, factId: string, paidOn: string) =>
  (
    await request<FactWithEnterprise>(
      'POST',
      `/enterprises/${path(enterpriseId)}/facts/${path(factId)}/payment`,
      {
        body: { paidOn },
      },
    )
  ).data;

export const voidFact = async (enterpriseId: string, factId: string, reason: string) =>
  (
    await request<FactWithEnterprise>(
      'POST',
      `/enterprises/${path(enterpriseId)}/facts/${path(factId)}/void`,
      {
        body: { reason },
      },
    )
  ).data;

export const listApplications = (query: URLSearchParams) =>
  get<ApplicationList>(`/applications${query.size > 0 ? `?${query.toString()}` : ''}`);

export const getApplication = (id: string) => get<Application>(`/applications/${path(id)}`);

export const createApplication = async (
  body: { enterpriseId: string; statement: string },
  idempotencyKey: string,
) =>
  (
    await request<Application>('POST', '/applications', {
      body,
      headers: { 'idempotency-key': idempotencyKey },
    })
  ).data;

export const requestUpload = async (
  applicationId: string,
  body: { documentType: string; fileName: string; contentType: string; size: number },
) => (await request<UploadTicket>('POST', `/applications/${path(applicationId)}/evidence`, { body })).data;

export const submitEvidence = async (applicationId: string) =>
  (await request<Application>('POST', `/applications/${path(applicationId)}/evidence/submit`)).data;

export const withdrawApplication = async (applicationId: string) =>
  (await request<Application>('POST', `/applications/${path(applicationId)}/withdraw`)).data;

export const getReviewers = () => get<ReviewerDirectory>('/reviewers');
