import { randomUUID } from 'node:crypto';
import { addMonths, localDateIn } from '../domain/dates.ts';
import { ROUTES } from '../functions/api/routes.ts';
import {
  AwsCallRecorder,
  recordHandlerClients,
  type RecordedAwsCall,
} from '../test/support/aws-call-recorder.ts';
import { startEmbeddedRuntime } from '../test/support/embedded-runtime.ts';
import { eventually } from '../test/support/eventually.ts';
import { send, type Reply, type SendOptions } from '../test/support/http-client.ts';
import type { BenchLine } from './line.ts';
import { progress } from './progress.ts';

/**
 * `api.round_trips`: the AWS calls each route's function makes while answering one request, on the
 * embedded runtime over HTTP, recorded by the call recorder the grants test uses (each call
 * attributed to the function that sent it, so workflow tasks running meanwhile do not count).
 * `value` is the sequential round trips: the longest chain of calls each sent after the previous
 * one was answered, i.e. the request's latency floor in AWS round trips; `params.calls` counts all
 * of them. The baseline is the cheapest route that reads the table (GET /public/credit/{id}: one
 * Query), so `ratio` says how many of those a route costs.
 */

const REVIEWER_EMAIL = { CUSTOMS: 'customs.reviewer@example.org', TAX: 'tax.reviewer@example.org' } as const;

/** The longest chain of calls in which each was sent after the previous was answered. */
export function sequentialRoundTrips(calls: readonly RecordedAwsCall[]): number {
  // Earliest-answered first: the greedy choice is a longest chain of non-overlapping intervals.
  const timed = calls
    .map((c) => ({ sent: c.sentAt ?? 0, answered: c.answeredAt ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.answered - b.answered);
  let chain = 0;
  let lastAnswered = Number.NEGATIVE_INFINITY;
  for (const call of timed) {
    if (call.sent >= lastAnswered) {
      chain += 1;
      lastAnswered = call.answered;
    }
  }
  return chain;
}

interface Measured {
  readonly route: string;
  readonly exportName: string;
  readonly calls: readonly RecordedAwsCall[];
  readonly status: number;
}

export async function* roundTripsBench(): AsyncIterable<BenchLine> {
  progress('round trips: starting the embedded runtime');
  const embedded = await startEmbeddedRuntime('bench-round-trips');
  const { runtime } = embedded;
  const recorder = new AwsCallRecorder();
  recordHandlerClients(recorder);
  const measured: Measured[] = [];
  try {
    const token = async (query: string): Promise<string> =>
      (await send(runtime.url, 'GET', `/_local/token?${query}`)).body.token as string;
    const officer = await token('role=officer');

    /** Sends one request and keeps the calls its route's function made while answering it. */
    const measure = async (
      exportName: string,
      method: string,
      path: string,
      options: SendOptions = {},
      expected?: number,
    ): Promise<Reply> => {
      const route = ROUTES.find((r) => r.exportName === exportName);
      if (route === undefined) throw new Error(`no route ${exportName}`);
      recorder.calls.length = 0;
      const reply = await send(runtime.url, method, path, options);
      if (expected !== undefined && reply.status !== expected) {
        throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
      }
      measured.push({
        route: `${route.method} ${route.path}`,
        exportName,
        calls: recorder.calls.filter((call) => call.functionKey === exportName),
        status: reply.status,
      });
      return reply;
    };
    const asOfficer = (json?: unknown): SendOptions => ({
      token: officer,
      ...(json === undefined ? {} : { json }),
    });

    progress('round trips: one request per route');
    await measure('getHealth', 'GET', '/health', {}, 200);
    await measure('getOpenApi', 'GET', '/openapi.json', {}, 200);

    const id = `RT${String(Date.now()).slice(-8)}`;
    const today = localDateIn(runtime.clock.now());
    await measure(
      'createEnterprise',
      'POST',
      '/enterprises',
      asOfficer({ id, name: 'Round Trip Co', contactEmail: 'ops@roundtrip.test' }),
      201,
    );
    const fact = await measure(
      'recordFact',
      'POST',
      `/enterprises/${id}/facts`,
      asOfficer({ type: 'TAX_ASSESSMENT', amount: 80_000, dueOn: addMonths(today, -12) }),
      201,
    );
    const factId = (fact.body.fact as { id: string }).id;
    await measure(
      'recordPayment',
      'POST',
      `/enterprises/${id}/facts/${factId}/payment`,
      asOfficer({ paidOn: addMonths(today, -8) }),
      200,
    );
    await measure('getEnterprise', 'GET', `/enterprises/${id}`, asOfficer(), 200);
    await measure('getPublicCredit', 'GET', `/public/credit/${id}`, {}, 200);
    await measure('listReviewers', 'GET', '/reviewers', asOfficer(), 200);

    const applicant = await token(`role=applicant&enterprise=${id}`);
    const asApplicant = (json?: unknown): SendOptions => ({
      token: applicant,
      ...(json === undefined ? {} : { json }),
      headers: { 'idempotency-key': randomUUID() },
    });
    const created = await measure(
      'createApplication',
      'POST',
      '/applications',
      asApplicant({ enterpriseId: id, statement: 'Taxes paid in full.' }),
      201,
    );
    const applicationId = created.body.id as string;
    await measure('getApplication', 'GET', `/applications/${applicationId}`, asApplicant(), 200);
    await measure('listApplications', 'GET', `/applications?enterpriseId=${id}`, asApplicant(), 200);

    let first = true;
    for (const documentType of created.body.requiredDocuments as string[]) {
      const file = Buffer.from(`%PDF-1.4\n% ${documentType}\n%%EOF\n`);
      const body = { documentType, fileName: 'doc.pdf', contentType: 'application/pdf', size: file.length };
      const ticket = first
        ? await measure(
            'requestUpload',
            'POST',
            `/applications/${applicationId}/evidence`,
            asApplicant(body),
            201,
          )
        : await send(runtime.url, 'POST', `/applications/${applicationId}/evidence`, asApplicant(body));
      first = false;
      const upload = ticket.body.upload as { url: string; fields: Record<string, string> };
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append('file', new Blob([file], { type: 'application/pdf' }), 'doc.pdf');
      const stored = await fetch(upload.url, { method: 'POST', body: form });
      if (stored.status >= 300) throw new Error(`upload refused: ${stored.status}`);
    }
    // The execution may not have reached its evidence wait yet (409 until it has).
    await eventually('the evidence wait', async () => {
      const probe = await send(runtime.url, 'GET', `/applications/${applicationId}`, asApplicant());
      return probe.body.status === 'AWAITING_EVIDENCE' && (probe.body.evidence as unknown[]).length > 0
        ? true
        : undefined;
    });
    await eventually('the submit', async () => {
      const reply = await measure(
        'submitEvidence',
        'POST',
        `/applications/${applicationId}/evidence/submit`,
        asApplicant(),
      );
      if (reply.status === 409) {
        measured.pop();
        return undefined;
      }
      if (reply.status !== 202) throw new Error(`submit: ${reply.status} ${reply.text}`);
      return true;
    });

    const link = await eventually('the review link', async () => {
      const messages = (await send(runtime.url, 'GET', '/_local/outbox')).body as unknown as {
        to: string[];
        text: string;
        links: string[];
      }[];
      return messages
        .filter((m) => m.to.includes(REVIEWER_EMAIL.CUSTOMS) && m.text.includes(applicationId))
        .flatMap((m) => m.links.filter((l) => l.includes('/review/')))[0];
    });
    const path = new URL(link).pathname;
    const page = await measure('showReview', 'GET', path, {}, 200);
    const nonce = /<input type="hidden" name="nonce" value="([^"]+)">/.exec(page.text)?.[1];
    if (nonce === undefined) throw new Error('no nonce on the review page');
    await measure(
      'decideReview',
      'POST',
      path,
      {
        raw: new URLSearchParams({
          decision: 'REQUEST_CHANGES',
          comment: 'Add the receipt.',
          nonce,
        }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      },
      200,
    );
    await measure(
      'withdrawApplication',
      'POST',
      `/applications/${applicationId}/withdraw`,
      asApplicant(),
      200,
    );
    await measure(
      'voidFact',
      'POST',
      `/enterprises/${id}/facts/${factId}/void`,
      asOfficer({ reason: 'recorded in error' }),
      200,
    );
    await measure(
      'putReviewer',
      'PUT',
      '/reviewers/TAX',
      asOfficer({
        name: 'Tax Reviewer',
        email: 'tax.reviewer@example.org',
        escalationEmail: 'tax.lead@example.org',
      }),
    );
  } finally {
    await embedded.stop();
  }
  if (recorder.unmapped.length > 0) {
    throw new Error(`calls the recorder cannot name, so cannot count: ${recorder.unmapped.join('; ')}`);
  }

  const baseline = measured.find((m) => m.exportName === 'getPublicCredit');
  const baselineTrips = baseline === undefined ? undefined : sequentialRoundTrips(baseline.calls);
  for (const m of measured) {
    const trips = sequentialRoundTrips(m.calls);
    const commands = m.calls.map((c) => c.command.replace(/Command$/, ''));
    yield {
      name: 'api.round_trips',
      value: trips,
      unit: 'round trips',
      ...(baselineTrips === undefined || trips === 0
        ? {}
        : { baseline: baselineTrips, ratio: Number((baselineTrips / trips).toFixed(2)) }),
      params: {
        route: m.route,
        function: m.exportName,
        status: m.status,
        calls: m.calls.length,
        sequence: commands.join(' '),
        baseline: 'GET /public/credit/{id} (one Query)',
        target: 6,
      },
    };
  }
}
