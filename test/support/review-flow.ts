import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { addMonths, localDateIn } from '../../domain/dates.ts';
import { createEnterprise, recordFact, recordPayment } from '../../functions/lib/enterprises/index.ts';
import { storeFromEnv } from '../../functions/lib/store/index.ts';
import type { Runtime } from '../../local/runtime.ts';
import { send } from './http-client.ts';

/**
 * Drives an application to its review round through the real gateway of an embedded runtime
 * (with its demo reviewer directory): a new eligible enterprise, the application, the three
 * documents uploaded and submitted, and the review links the reviewers were mailed.
 */

export type ReviewedParty = 'CUSTOMS' | 'TAX';

/** The demo directory's reviewers of a DISHONEST enterprise's parties. */
export const DEMO_REVIEWER_EMAIL: Readonly<Record<ReviewedParty, string>> = {
  CUSTOMS: 'customs.reviewer@example.org',
  TAX: 'tax.reviewer@example.org',
};

export const REQUIRED_DOCUMENTS = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'] as const;

export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

export class ReviewFlow {
  #counter = 0;

  constructor(
    private readonly runtime: Runtime,
    /** Four capitals: enterprise ids are `<prefix>NNNNNN`, unique per flow. */
    private readonly prefix: string,
  ) {}

  api(method: string, path: string, token: string, json?: unknown) {
    return send(this.runtime.url, method, path, {
      token,
      ...(json === undefined ? {} : { json, headers: { 'idempotency-key': `flow-${Math.random()}` } }),
    });
  }

  /** DISHONEST for tax arrears paid eight months ago: may apply today; parties CUSTOMS and TAX. */
  async eligibleEnterprise(): Promise<{ id: string; token: string }> {
    this.#counter += 1;
    const id = `${this.prefix}${String(this.#counter).padStart(6, '0')}`;
    const store = storeFromEnv();
    const now = this.runtime.clock.now();
    const today = localDateIn(now);
    const who = { now: now.toISOString(), actor: 'officer:test' };
    await createEnterprise(
      store,
      { id, name: `Flow ${id}`, contactEmail: `c@${id.toLowerCase()}.test` },
      who.now,
    );
    const { fact } = await recordFact(
      store,
      id,
      { type: 'TAX_ASSESSMENT', amountFen: 80_000_00, dueOn: addMonths(today, -12) },
      who,
    );
    await recordPayment(store, id, fact.id, { paidOn: addMonths(today, -8) }, who);
    const reply = await send(this.runtime.url, 'GET', `/_local/token?role=applicant&enterprise=${id}`);
    return { id, token: reply.body.token as string };
  }

  /** Uploads every required document (a small PDF) of the application's current round. */
  async uploadDocuments(applicationId: string, token: string): Promise<void> {
    const pdf = new TextEncoder().encode('%PDF-1.4 evidence');
    for (const documentType of REQUIRED_DOCUMENTS) {
      const ticket = await this.api('POST', `/applications/${applicationId}/evidence`, token, {
        documentType,
        fileName: `${documentType.toLowerCase()}.pdf`,
        contentType: 'application/pdf',
        size: pdf.length,
      });
      expect(ticket.status).toBe(201);
      const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'file.pdf');
      const stored = await fetch(upload.url, { method: 'POST', body: form });
      await stored.arrayBuffer();
      expect(stored.status).toBeLessThan(300);
    }
  }

  /** The review link each party's reviewer was mailed for the application's `round`. */
  async reviewLinks(applicationId: string, round = 1): Promise<Record<ReviewedParty, string>> {
    return eventually(`round ${round} review links of ${applicationId}`, async () => {
      const outbox = (await send(this.runtime.url, 'GET', '/_local/outbox')).body as unknown as {
        to: string[];
        text: string;
        links: string[];
      }[];
      const linksOf = (party: ReviewedParty): string[] =>
        outbox
          .filter(
            (entry) => entry.to.includes(DEMO_REVIEWER_EMAIL[party]) && entry.text.includes(applicationId),
          )
          .flatMap((entry) => entry.links.filter((link) => link.includes('/review/')));
      const customs = linksOf('CUSTOMS')[round - 1];
      const tax = linksOf('TAX')[round - 1];
      return customs === undefined || tax === undefined ? undefined : { CUSTOMS: customs, TAX: tax };
    });
  }

  /** An application of a new enterprise, its evidence submitted, its first review round open. */
  async applicationUnderReview(): Promise<{
    id: string;
    token: string;
    links: Record<ReviewedParty, string>;
  }> {
    const enterprise = await this.eligibleEnterprise();
    const created = await this.api('POST', '/applications', enterprise.token, {
      enterpriseId: enterprise.id,
      statement: 'Taxes paid in full.',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await this.uploadDocuments(id, enterprise.token);
    const submitted = await this.api('POST', `/applications/${id}/evidence/submit`, enterprise.token);
    expect(submitted.status).toBe(202);
    return { id, token: enterprise.token, links: await this.reviewLinks(id) };
  }

  async application(id: string): Promise<Record<string, unknown>> {
    const reply = await this.api('GET', `/applications/${id}`, this.runtime.tokens.officer);
    expect(reply.status).toBe(200);
    return reply.body as Record<string, unknown>;
  }
}

export interface Page {
  readonly status: number;
  readonly contentType: string | null;
  readonly html: string;
}

export async function openPage(url: string): Promise<Page> {
  const response = await fetch(url);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    html: await response.text(),
  };
}

export async function postForm(url: string, fields: Record<string, string>): Promise<Page> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    html: await response.text(),
  };
}

export function nonceOf(html: string): string {
  const match = /<input type="hidden" name="nonce" value="([^"]+)">/.exec(html);
  if (!match?.[1]) throw new Error('the page has no nonce');
  return match[1];
}
