import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { createEnterprise } from '../../functions/usecases/enterprises/register.ts';
import { recordFact, recordPayment } from '../../functions/usecases/enterprises/facts.ts';
import { store as storePort } from '../../functions/composition/store.ts';
import type { Runtime } from '../../local/runtime.ts';
import { eventually } from './eventually.ts';
import { send, type Reply, type SendOptions } from './http-client.ts';

/**
 * The applicant's and the reviewers' side of the workflow over HTTP only: apply, announce and
 * upload each document through its presigned POST, submit, find the review links in the outbox,
 * open a link and post its form with the nonce. The functions need a base URL and tokens and
 * nothing in-process, so a spawned `npm start` is driven exactly as an embedded runtime.
 * ReviewFlow adds, for an embedded runtime, fresh eligible enterprises written to its store.
 */

export type ReviewedParty = 'CUSTOMS' | 'TAX';

/** The demo directory's reviewers of a DISHONEST enterprise's parties. */
export const DEMO_REVIEWER_EMAIL: Readonly<Record<ReviewedParty, string>> = {
  CUSTOMS: 'customs.reviewer@example.org',
  TAX: 'tax.reviewer@example.org',
};

/** The documents a DISHONEST enterprise of tax arrears must give. */
export const REQUIRED_DOCUMENTS = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'] as const;

/** A token from the local runtime's dev issuer, e.g. `devToken(url, 'role=officer')`. */
export async function devToken(baseUrl: string, query: string): Promise<string> {
  const reply = await send(baseUrl, 'GET', `/_local/token?${query}`);
  expect(reply.status).toBe(200);
  return reply.body.token as string;
}

export const applicantToken = (baseUrl: string, ...enterprises: string[]): Promise<string> =>
  devToken(baseUrl, `role=applicant&enterprise=${enterprises.join(',')}`);

/** Whoever acts over HTTP: the runtime's base URL and a bearer token. */
export interface Caller {
  readonly baseUrl: string;
  readonly token: string;
}

/** A JSON call as `caller`; a body gets a fresh idempotency key, which POST /applications needs. */
export function callAs(caller: Caller, method: string, path: string, json?: unknown): Promise<Reply> {
  const options: SendOptions =
    json === undefined
      ? { token: caller.token }
      : { token: caller.token, json, headers: { 'idempotency-key': randomUUID() } };
  return send(caller.baseUrl, method, path, options);
}

/** POST /applications; the reply is the test's to judge. */
export const apply = (applicant: Caller, enterpriseId: string, statement: string): Promise<Reply> =>
  callAs(applicant, 'POST', '/applications', { enterpriseId, statement });

/**
 * Announces each document (201) and uploads a small PDF through the presigned POST it was given;
 * answers the bytes uploaded for each document type.
 */
export async function uploadDocuments(
  applicant: Caller,
  applicationId: string,
  documentTypes: readonly string[] = REQUIRED_DOCUMENTS,
  fileFor: (documentType: string) => Buffer = (documentType) =>
    Buffer.from(`%PDF-1.4\n% ${documentType} of ${applicationId}\n%%EOF\n`),
): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const documentType of documentTypes) {
    const file = fileFor(documentType);
    const ticket = await callAs(applicant, 'POST', `/applications/${applicationId}/evidence`, {
      documentType,
      fileName: `${documentType.toLowerCase()}.pdf`,
      contentType: 'application/pdf',
      size: file.length,
    });
    expect(ticket.status, ticket.text).toBe(201);
    const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([file], { type: 'application/pdf' }), `${documentType}.pdf`);
    const stored = await fetch(upload.url, { method: 'POST', body: form });
    expect(stored.status, await stored.text()).toBeLessThan(300);
    files.set(documentType, file);
  }
  return files;
}

/**
 * POST …/evidence/submit, answered 202; a 409 while the workflow has not reached its evidence wait
 * is retried. From round 2 a resubmission carries a response to the change requests (RULES.md §6.10).
 */
export async function submitEvidence(
  applicant: Caller,
  applicationId: string,
  response?: string,
): Promise<Reply> {
  const submitted = await eventually('evidence submitted', async () => {
    const reply = await callAs(
      applicant,
      'POST',
      `/applications/${applicationId}/evidence/submit`,
      response === undefined ? undefined : { response },
    );
    return reply.status === 409 ? undefined : reply;
  });
  expect(submitted.status, submitted.text).toBe(202);
  return submitted;
}

export interface OutboxMessage {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly links: string[];
}

export async function outbox(baseUrl: string): Promise<OutboxMessage[]> {
  return (await send(baseUrl, 'GET', '/_local/outbox')).body as unknown as OutboxMessage[];
}

/** The review link each party's reviewer was mailed for the application's `round`. */
export async function reviewLinks(
  baseUrl: string,
  applicationId: string,
  round = 1,
): Promise<Record<ReviewedParty, string>> {
  return eventually(`round ${round} review links of ${applicationId}`, async () => {
    const messages = await outbox(baseUrl);
    const linksOf = (party: ReviewedParty): string[] =>
      messages
        .filter((m) => m.to.includes(DEMO_REVIEWER_EMAIL[party]) && m.text.includes(applicationId))
        .flatMap((m) => m.links.filter((link) => link.includes('/review/')));
    const customs = linksOf('CUSTOMS')[round - 1];
    const tax = linksOf('TAX')[round - 1];
    return customs === undefined || tax === undefined ? undefined : { CUSTOMS: customs, TAX: tax };
  });
}

/** The applicant's whole part: apply, upload every document, submit; then the round's review links. */
export async function applyAndSubmit(
  applicant: Caller,
  enterpriseId: string,
  statement: string,
): Promise<{ id: string; created: Reply; links: Record<ReviewedParty, string> }> {
  const created = await apply(applicant, enterpriseId, statement);
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  await uploadDocuments(applicant, id, created.body.requiredDocuments as string[]);
  await submitEvidence(applicant, id);
  return { id, created, links: await reviewLinks(applicant.baseUrl, id) };
}

export interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string | null;
  readonly html: string;
}

async function pageOf(response: Response): Promise<Page> {
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type'),
    html: await response.text(),
  };
}

export async function openPage(url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<Page> {
  return pageOf(await fetch(url, { method }));
}

export async function postForm(url: string, fields: Record<string, string>): Promise<Page> {
  return pageOf(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

export function nonceOf(html: string): string {
  const match = /<input type="hidden" name="nonce" value="([^"]+)">/.exec(html);
  if (!match?.[1]) throw new Error('the page has no nonce');
  return match[1];
}

/** What a reviewer does: opens the link (200, a form) and posts the form with its nonce. */
export async function decideWithLink(
  link: string,
  fields: { decision: string; comment?: string },
): Promise<Page> {
  const opened = await openPage(link);
  expect(opened.status).toBe(200);
  return postForm(link, { ...fields, nonce: nonceOf(opened.html) });
}

export interface ReviewFlowOptions {
  /** Four capitals: enterprise ids are `<prefix>NNNNNN`, unique per flow. */
  readonly prefix: string;
  readonly enterpriseName?: (id: string) => string;
  readonly statement?: string;
}

/**
 * Fresh eligible enterprises for an embedded runtime (written to its store, dated by its clock),
 * each taken to its review round through the HTTP helpers above.
 */
export class ReviewFlow {
  #counter = 0;
  readonly #options: ReviewFlowOptions;

  constructor(
    private readonly runtime: Runtime,
    options: ReviewFlowOptions,
  ) {
    this.#options = options;
  }

  api(method: string, path: string, token: string, json?: unknown): Promise<Reply> {
    return callAs({ baseUrl: this.runtime.url, token }, method, path, json);
  }

  /** DISHONEST for tax arrears paid eight months ago: may apply today; parties CUSTOMS and TAX. */
  async eligibleEnterprise(): Promise<{ id: string; token: string }> {
    this.#counter += 1;
    const id = `${this.#options.prefix}${String(this.#counter).padStart(6, '0')}`;
    const name = this.#options.enterpriseName?.(id) ?? `Flow ${id}`;
    const store = storePort();
    const now = this.runtime.clock.now();
    const today = localDateIn(now);
    const who = { now: now.toISOString(), actor: 'officer:test' };
    await createEnterprise(store, { id, name, contactEmail: `c@${id.toLowerCase()}.test` }, who.now);
    const { fact } = await recordFact(
      store,
      id,
      { type: 'TAX_ASSESSMENT', amountFen: 80_000_00, dueOn: addMonths(today, -12) },
      who,
    );
    await recordPayment(store, id, fact.id, { paidOn: addMonths(today, -8) }, who);
    return { id, token: await applicantToken(this.runtime.url, id) };
  }

  /** An application of a new enterprise with every required document uploaded, not yet submitted. */
  async applicationWithDocuments(): Promise<{ id: string; token: string }> {
    const enterprise = await this.eligibleEnterprise();
    const applicant = { baseUrl: this.runtime.url, token: enterprise.token };
    const created = await apply(applicant, enterprise.id, this.#statement());
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    await uploadDocuments(applicant, id);
    return { id, token: enterprise.token };
  }

  /** An application of a new enterprise, its evidence submitted, its first review round open. */
  async applicationUnderReview(): Promise<{
    id: string;
    token: string;
    links: Record<ReviewedParty, string>;
  }> {
    const enterprise = await this.eligibleEnterprise();
    const applicant = { baseUrl: this.runtime.url, token: enterprise.token };
    const { id, links } = await applyAndSubmit(applicant, enterprise.id, this.#statement());
    return { id, token: enterprise.token, links };
  }

  reviewLinks(applicationId: string, round = 1): Promise<Record<ReviewedParty, string>> {
    return reviewLinks(this.runtime.url, applicationId, round);
  }

  async application(id: string): Promise<Record<string, unknown>> {
    const reply = await this.api('GET', `/applications/${id}`, this.runtime.tokens.officer);
    expect(reply.status).toBe(200);
    return reply.body as Record<string, unknown>;
  }

  #statement(): string {
    return this.#options.statement ?? 'Taxes paid in full.';
  }
}
