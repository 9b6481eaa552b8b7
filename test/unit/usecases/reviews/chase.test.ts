import { beforeAll, describe, expect, it } from 'vitest';
import type { Party } from '../../../../domain/vocabulary.ts';
import { extractLinks } from '../../../../functions/adapters/outbox/mailer.ts';
import { keys } from '../../../../functions/ports/store/keys.ts';
import type { MailMessage } from '../../../../functions/ports/mailer.ts';
import type { StoredItem } from '../../../../functions/ports/store/store.ts';
import { requireApplication } from '../../../../functions/usecases/applications/records.ts';
import { getReviewer, seedReviewer } from '../../../../functions/usecases/directory/reviewers.ts';
import { createEnterprise } from '../../../../functions/usecases/enterprises/register.ts';
import { chaseReview, type Chase } from '../../../../functions/usecases/reviews/chase.ts';
import { decideReview } from '../../../../functions/usecases/reviews/decide.ts';
import { issueReviewLink } from '../../../../functions/usecases/reviews/issue-link.ts';
import { createReviewLink } from '../../../../functions/usecases/reviews/link-records.ts';
import { reviewPage } from '../../../../functions/usecases/reviews/page.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';
import { apply, DOCUMENTS, submitted } from '../support.ts';

/**
 * Reminders and escalations carry working links (CONTRACT.md "reminders and escalations"): a
 * reminder's fresh link supersedes the reviewer's earlier one, an escalation contact gets a link of
 * their own, the first decision wins, and a crash between issuing and sending leaves one live link.
 */

const OPENED = '2026-05-10T02:00:00.000Z';
const REMINDED = '2026-05-21T02:00:00.000Z';
const NOW = new Date('2026-05-21T03:00:00.000Z');
const EXPIRES = '2026-07-08T16:00:00.000Z';
const ports = memoryPorts(REMINDED);
const { store } = ports;

const reminder = (party: Party = 'TAX'): Chase => ({ kind: 'REVIEW_REMINDER', party, round: 1 });
const escalation = (party: Party = 'TAX'): Chase => ({ kind: 'REVIEW_ESCALATION', party, round: 1 });

beforeAll(async () => {
  await createEnterprise(
    store,
    { id: 'ENT0000001', name: 'Chase Trading Co.', contactEmail: 'contact@chase.test' },
    OPENED,
  );
  for (const party of ['CUSTOMS', 'TAX'] as const) {
    await seedReviewer(
      store,
      party,
      {
        name: `${party} first`,
        email: `${party.toLowerCase()}-first@agency.test`,
        escalationEmail: `${party.toLowerCase()}-lead@agency.test`,
      },
      OPENED,
    );
  }
});

/** An application under review whose TAX review has its round's link, issued as OpenReview does. */
async function underReview(id: string): Promise<string> {
  await submitted(ports, id, OPENED);
  for (const documentType of DOCUMENTS) {
    await apply(ports, id, {
      type: 'EVIDENCE_UPLOADED',
      at: OPENED,
      documentType,
      evidenceId: `EV-${documentType}`,
    });
  }
  await apply(ports, id, { type: 'EVIDENCE_SUBMITTED', at: OPENED });
  await apply(ports, id, { type: 'REVIEW_ROUND_OPENED', at: OPENED, round: 1 });
  const { linkId } = await issueReviewLink(ports, {
    applicationId: id,
    round: 1,
    party: 'TAX',
    reviewerName: 'TAX first',
    reviewerEmail: 'tax-first@agency.test',
    expiresAt: EXPIRES,
    now: OPENED,
    holder: 'REVIEWER',
  });
  return linkId;
}

async function chase(id: string, what: Chase, mailer = ports.mailer): Promise<MailMessage> {
  const sentBefore = ports.mailer.sent.length;
  const reviewer = await getReviewer(store, what.party);
  if (reviewer === undefined) throw new Error('no reviewer');
  const state = (await requireApplication(store, id)).state;
  await chaseReview({ ...ports, mailer }, state, what, reviewer, REMINDED);
  const mail = ports.mailer.sent[sentBefore];
  if (mail === undefined) throw new Error('nothing was sent');
  return mail;
}

const linkIdIn = (mail: MailMessage): string => {
  const links = extractLinks(mail.text);
  expect(links).toHaveLength(1);
  return links[0]!.slice(`${ports.reviewBaseUrl}/review/`.length);
};

const pageKind = async (linkId: string): Promise<string> => {
  const page = await reviewPage(ports, linkId, NOW);
  return page?.kind === 'GONE' ? `GONE:${page.reason}` : (page?.kind ?? 'NONE');
};

async function decideWith(linkId: string, decision: 'APPROVE' | 'REJECT' = 'APPROVE'): Promise<string> {
  const page = await reviewPage(ports, linkId, NOW);
  const nonce = page?.kind === 'OPEN' ? page.page.nonce : 'no-nonce-for-a-closed-link';
  const result = await decideReview(ports, linkId, { decision, comment: 'ok', nonce }, NOW);
  return result.kind === 'GONE' ? `GONE:${result.reason}` : result.kind;
}

describe('a reminder', () => {
  it("mints a fresh link for the reviewer and supersedes the reviewer's earlier one", async () => {
    const first = await underReview('CH-REMIND');
    const mail = await chase('CH-REMIND', reminder());
    expect(mail.to).toEqual(['tax-first@agency.test']);
    const fresh = linkIdIn(mail);
    expect(fresh).not.toBe(first);
    expect(await pageKind(fresh)).toBe('OPEN');
    expect(await pageKind(first)).toBe('GONE:SUPERSEDED');
    // The old link's form, kept open in a browser, decides nothing either.
    expect(await decideWith(first)).toBe('GONE:SUPERSEDED');
    expect(await decideWith(fresh)).toBe('DECIDED');
  });

  it('goes to the reviewer the directory names now, not the one the round opened with', async () => {
    const first = await underReview('CH-NEWREV');
    await seedReviewer(
      store,
      'TAX',
      { name: 'TAX second', email: 'tax-second@agency.test', escalationEmail: 'tax-lead@agency.test' },
      REMINDED,
    );
    const mail = await chase('CH-NEWREV', reminder());
    expect(mail.to).toEqual(['tax-second@agency.test']);
    const page = await reviewPage(ports, linkIdIn(mail), NOW);
    expect(page?.kind === 'OPEN' && page.page.reviewerName).toBe('TAX second');
    expect(await pageKind(first)).toBe('GONE:SUPERSEDED');
    await seedReviewer(
      store,
      'TAX',
      { name: 'TAX first', email: 'tax-first@agency.test', escalationEmail: 'tax-lead@agency.test' },
      REMINDED,
    );
  });

  it('leaves one live link when the send fails after the link was issued, once retried', async () => {
    const first = await underReview('CH-CRASH');
    const failing = {
      send: () => Promise.reject(new Error('SES throttled')),
    };
    await expect(chase('CH-CRASH', reminder(), failing as never)).rejects.toThrow('SES throttled');
    // Until the retry, the reviewer keeps the link they have.
    expect(await pageKind(first)).toBe('OPEN');
    const mail = await chase('CH-CRASH', reminder());
    expect(await pageKind(linkIdIn(mail))).toBe('OPEN');
    expect(await pageKind(first)).toBe('GONE:SUPERSEDED');
    // The link issued before the failure (its id never left the process) was superseded too.
    const issued = await store.get<StoredItem & { links: { hash: string }[] }>(
      keys.issuedLinks('CH-CRASH', 'TAX', 1),
    );
    expect(issued?.links).toHaveLength(3);
    const live = [];
    for (const { hash } of issued?.links ?? []) {
      const link = await store.get<StoredItem & { supersededAt?: string; usedAt?: string }>(
        keys.reviewLink(hash),
      );
      if (link !== undefined && link.supersededAt === undefined && link.usedAt === undefined) live.push(hash);
    }
    expect(live).toHaveLength(1);
  });

  it('supersedes a first link written before issued links were listed (its hash is in the memo)', async () => {
    await submitted(ports, 'CH-OLD', OPENED);
    for (const documentType of DOCUMENTS) {
      await apply(ports, 'CH-OLD', {
        type: 'EVIDENCE_UPLOADED',
        at: OPENED,
        documentType,
        evidenceId: `EV-${documentType}`,
      });
    }
    await apply(ports, 'CH-OLD', { type: 'EVIDENCE_SUBMITTED', at: OPENED });
    await apply(ports, 'CH-OLD', { type: 'REVIEW_ROUND_OPENED', at: OPENED, round: 1 });
    // What OpenReview wrote before this change: the link, then its memo, and no list.
    const { linkId, link } = await createReviewLink(ports, {
      applicationId: 'CH-OLD',
      round: 1,
      party: 'TAX',
      reviewerName: 'TAX first',
      reviewerEmail: 'tax-first@agency.test',
      expiresAt: EXPIRES,
      now: OPENED,
    });
    await store.memoizedStep('CH-OLD', 'OpenReview.TAX', 1, () =>
      Promise.resolve({
        linkHash: link.linkHash,
        reviewerEmail: 'tax-first@agency.test',
        expiresAt: EXPIRES,
      }),
    );
    const mail = await chase('CH-OLD', reminder());
    expect(await pageKind(linkIdIn(mail))).toBe('OPEN');
    expect(await pageKind(linkId)).toBe('GONE:SUPERSEDED');
  });
});

describe('the cost of a reminder', () => {
  it('is three store writes (the list, the link, one supersede) and two reads', async () => {
    await underReview('CH-COST');
    const reviewer = await getReviewer(store, 'TAX');
    const state = (await requireApplication(store, 'CH-COST')).state;
    const calls: string[] = [];
    const WRITES = new Set(['put', 'putNew', 'updateVersioned', 'updateIf', 'appendEvent', 'setDue']);
    const READS = new Set(['get', 'queryAll', 'queryPage', 'recordedStep']);
    const counted = new Proxy(store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string') return value;
        return (...args: unknown[]) => {
          if (WRITES.has(name) || READS.has(name)) calls.push(name);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    await chaseReview({ ...ports, store: counted }, state, reminder(), reviewer!, REMINDED);
    expect(calls.filter((c) => WRITES.has(c)).sort()).toEqual(['putNew', 'updateIf', 'updateVersioned']);
    // The list (one GetItem) and the enterprise for its name (one Query of its profile and facts).
    expect(calls.filter((c) => READS.has(c)).sort()).toEqual(['get', 'queryAll']);
  });
});

describe('an escalation', () => {
  it("gives the escalation contact a link of their own and leaves the reviewer's working", async () => {
    const first = await underReview('CH-ESC');
    const mail = await chase('CH-ESC', escalation());
    expect(mail.to).toEqual(['tax-lead@agency.test']);
    const own = linkIdIn(mail);
    expect(await pageKind(own)).toBe('OPEN');
    expect(await pageKind(first)).toBe('OPEN');
  });

  it('lets the first of the two links decide; the other then answers as superseded', async () => {
    const first = await underReview('CH-ESC2');
    const own = linkIdIn(await chase('CH-ESC2', escalation()));
    expect(await decideWith(own)).toBe('DECIDED');
    expect(await pageKind(first)).toBe('GONE:SUPERSEDED');
    expect(await decideWith(first, 'REJECT')).toBe('GONE:SUPERSEDED');
    expect((await requireApplication(store, 'CH-ESC2')).state.reviews.TAX).toMatchObject({
      status: 'APPROVED',
    });
  });
});
