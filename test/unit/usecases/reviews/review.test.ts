import { describe, expect, it } from 'vitest';
import { requireApplication } from '../../../../functions/usecases/applications/records.ts';
import { decideReview } from '../../../../functions/usecases/reviews/decide.ts';
import { hashLinkId } from '../../../../functions/usecases/reviews/link-ids.ts';
import { consumeLink, findReviewLink } from '../../../../functions/usecases/reviews/link-records.ts';
import { reviewPage } from '../../../../functions/usecases/reviews/page.ts';
import { keys } from '../../../../functions/ports/store/keys.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';
import { apply, underReview } from '../support.ts';

/** Review links and decisions (CONTRACT.md `/review/{linkId}`), on the in-memory ports. */

const AT = '2026-05-04T02:00:00.000Z';
const NOW = new Date('2026-05-05T03:00:00.000Z');
const ports = memoryPorts(NOW.toISOString());
const { store } = ports;

async function nonceOf(linkId: string): Promise<string> {
  const page = await reviewPage(ports, linkId, NOW);
  if (page?.kind !== 'OPEN') throw new Error('the link is not open');
  return page.page.nonce;
}

describe('review links', () => {
  it('are stored under the hash of their id only', async () => {
    const { links } = await underReview(ports, 'RL-HASH', AT);
    const item = await store.get(keys.reviewLink(await hashLinkId(links.CUSTOMS, ports.linkSecret)));
    expect(item).toMatchObject({ applicationId: 'RL-HASH', party: 'CUSTOMS', round: 1 });
    expect(JSON.stringify(item)).not.toContain(links.CUSTOMS);
    expect(await findReviewLink(ports, 'not-a-link')).toBeUndefined();
  });

  it('let exactly one of many concurrent posts decide; the others see its decision', async () => {
    const { links } = await underReview(ports, 'RL-RACE', AT);
    const nonce = await nonceOf(links.CUSTOMS);
    const decisions = [
      'APPROVE',
      'REJECT',
      'REQUEST_CHANGES',
      'APPROVE',
      'REJECT',
      'APPROVE',
      'REQUEST_CHANGES',
      'APPROVE',
    ] as const;
    const results = await Promise.all(
      decisions.map((decision, i) =>
        consumeLink(ports, links.CUSTOMS, {
          nonce,
          decision,
          comment: `reason ${i}`,
          now: NOW.toISOString(),
        }),
      ),
    );
    const winners = results.filter((r) => r.kind === 'CONSUMED');
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    if (winner.kind !== 'CONSUMED') throw new Error('unreachable');
    for (const loser of results.filter((r) => r.kind !== 'CONSUMED')) {
      expect(loser).toMatchObject({ kind: 'ALREADY_USED', link: { decision: winner.link.decision } });
    }
  });

  it('refuse a wrong nonce and an expired link without using them', async () => {
    const { links } = await underReview(ports, 'RL-NONCE', AT);
    const wrong = await consumeLink(ports, links.TAX, {
      nonce: 'A'.repeat(22),
      decision: 'APPROVE',
      now: NOW.toISOString(),
    });
    expect(wrong).toEqual({ kind: 'BAD_NONCE' });
    const nonce = await nonceOf(links.TAX);
    const late = await consumeLink(ports, links.TAX, {
      nonce,
      decision: 'APPROVE',
      now: '2026-07-02T00:00:00.000Z',
    });
    expect(late).toMatchObject({ kind: 'EXPIRED' });
    expect((await findReviewLink(ports, links.TAX))?.link.usedAt).toBeUndefined();
  });
});

describe('decideReview', () => {
  it('records one decision among concurrent posts and shows it to the others', async () => {
    const { links } = await underReview(ports, 'DR-RACE', AT);
    const nonce = await nonceOf(links.TAX);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => decideReview(ports, links.TAX, { decision: 'APPROVE', nonce }, NOW)),
    );
    expect(results.filter((r) => r.kind === 'DECIDED')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'ALREADY_USED')).toHaveLength(5);
    const { state } = await requireApplication(store, 'DR-RACE');
    expect(state.reviews.TAX).toMatchObject({ status: 'APPROVED', decidedAt: NOW.toISOString() });
    expect(state.reviews.CUSTOMS?.status).toBe('PENDING');
  });

  it('needs a reason to reject and supersedes the other party when it does', async () => {
    const { links } = await underReview(ports, 'DR-REJECT', AT);
    const nonce = await nonceOf(links.CUSTOMS);
    expect(
      await decideReview(ports, links.CUSTOMS, { decision: 'REJECT', nonce, comment: '  ' }, NOW),
    ).toEqual({
      kind: 'COMMENT_REQUIRED',
      decision: 'REJECT',
    });
    expect(
      await decideReview(ports, links.CUSTOMS, { decision: 'REJECT', nonce, comment: 'forged proof' }, NOW),
    ).toEqual({
      kind: 'DECIDED',
      decision: {
        applicationId: 'DR-REJECT',
        party: 'CUSTOMS',
        decision: 'REJECT',
        decidedAt: NOW.toISOString(),
        comment: 'forged proof',
      },
    });
    const { state } = await requireApplication(store, 'DR-REJECT');
    expect(state.reviews.TAX?.status).toBe('SUPERSEDED');
    expect(await reviewPage(ports, links.TAX, NOW)).toEqual({
      kind: 'GONE',
      applicationId: 'DR-REJECT',
      reason: 'SUPERSEDED',
    });
    const taxNonce = 'B'.repeat(22);
    expect(await decideReview(ports, links.TAX, { decision: 'APPROVE', nonce: taxNonce }, NOW)).toEqual({
      kind: 'GONE',
      reason: 'SUPERSEDED',
    });
  });

  it('answers GONE for a withdrawn application and NOT_FOUND for an unknown link', async () => {
    const { links } = await underReview(ports, 'DR-WITHDRAWN', AT);
    const nonce = await nonceOf(links.CUSTOMS);
    await apply(ports, 'DR-WITHDRAWN', { type: 'WITHDRAWN', at: NOW.toISOString() });
    expect(await decideReview(ports, links.CUSTOMS, { decision: 'APPROVE', nonce }, NOW)).toEqual({
      kind: 'GONE',
      reason: 'WITHDRAWN',
    });
    expect((await findReviewLink(ports, links.CUSTOMS))?.link.usedAt).toBeUndefined();
    expect(await decideReview(ports, 'C'.repeat(43), { decision: 'APPROVE', nonce }, NOW)).toEqual({
      kind: 'NOT_FOUND',
    });
  });

  it('shows the page without changing anything, and the recorded decision once used', async () => {
    const { links } = await underReview(ports, 'DR-PAGE', AT);
    const before = await requireApplication(store, 'DR-PAGE');
    const page = await reviewPage(ports, links.CUSTOMS, NOW);
    expect(page).toMatchObject({
      kind: 'OPEN',
      applicationId: 'DR-PAGE',
      page: { party: 'CUSTOMS', round: 1, application: { id: 'DR-PAGE', statement: 'please' } },
    });
    expect((await requireApplication(store, 'DR-PAGE')).version).toBe(before.version);
    const nonce = await nonceOf(links.CUSTOMS);
    await decideReview(ports, links.CUSTOMS, { decision: 'REQUEST_CHANGES', nonce, comment: 'more' }, NOW);
    expect(await reviewPage(ports, links.CUSTOMS, NOW)).toEqual({
      kind: 'DECIDED',
      applicationId: 'DR-PAGE',
      decision: {
        applicationId: 'DR-PAGE',
        party: 'CUSTOMS',
        decision: 'REQUEST_CHANGES',
        decidedAt: NOW.toISOString(),
        comment: 'more',
      },
    });
  });
});
