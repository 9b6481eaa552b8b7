import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeLink, findReviewLink } from '../../../../functions/usecases/reviews/link-records.ts';
import { decideReview, reviewPageModel } from '../../../../functions/usecases/reviews/review.ts';
import { requireApplication } from '../../../../functions/usecases/applications/repository.ts';
import { setClockSource } from '../../../../functions/composition/clock.ts';
import { hashLinkId } from '../../../../functions/usecases/reviews/link-ids.ts';
import { keys } from '../../../../functions/ports/store/keys.ts';
import { type Store } from '../../../../functions/ports/store/store.ts';
import { startDynalite, type RunningDynalite, storeOn } from '../../../support/dynalite.ts';
import { apply, underReview } from '../support.ts';

let dynalite: RunningDynalite;
let store: Store;
const AT = '2026-05-04T02:00:00.000Z';
const NOW = new Date('2026-05-05T03:00:00.000Z');

beforeAll(async () => {
  dynalite = await startDynalite();
  store = storeOn(dynalite.doc, dynalite.tableName);
  setClockSource(() => NOW);
});

afterAll(async () => {
  setClockSource(null);
  await dynalite.stop();
});

async function nonceOf(linkId: string): Promise<string> {
  const page = await reviewPageModel(store, linkId, NOW);
  if (page?.state.kind !== 'OPEN') throw new Error('the link is not open');
  return page.state.nonce;
}

describe('review links', () => {
  it('are stored under the hash of their id only', async () => {
    const { links } = await underReview(store, 'RL-HASH', AT);
    const item = await store.get(keys.reviewLink(await hashLinkId(links.CUSTOMS)));
    expect(item).toMatchObject({ applicationId: 'RL-HASH', party: 'CUSTOMS', round: 1 });
    expect(JSON.stringify(item)).not.toContain(links.CUSTOMS);
    expect(await findReviewLink(store, 'not-a-link')).toBeUndefined();
  });

  it('let exactly one of many concurrent posts decide; the others see its decision', async () => {
    const { links } = await underReview(store, 'RL-RACE', AT);
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
        consumeLink(store, links.CUSTOMS, {
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
    const { links } = await underReview(store, 'RL-NONCE', AT);
    const wrong = await consumeLink(store, links.TAX, {
      nonce: 'A'.repeat(22),
      decision: 'APPROVE',
      now: NOW.toISOString(),
    });
    expect(wrong).toEqual({ kind: 'BAD_NONCE' });
    const nonce = await nonceOf(links.TAX);
    const late = await consumeLink(store, links.TAX, {
      nonce,
      decision: 'APPROVE',
      now: '2026-07-02T00:00:00.000Z',
    });
    expect(late).toMatchObject({ kind: 'EXPIRED' });
    expect((await findReviewLink(store, links.TAX))?.link.usedAt).toBeUndefined();
  });
});

describe('decideReview', () => {
  it('records one decision among concurrent posts and shows it to the others', async () => {
    const { links } = await underReview(store, 'DR-RACE', AT);
    const nonce = await nonceOf(links.TAX);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => decideReview(store, links.TAX, { decision: 'APPROVE', nonce }, NOW)),
    );
    expect(results.filter((r) => r.kind === 'DECIDED')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'ALREADY_USED')).toHaveLength(5);
    const { state } = await requireApplication(store, 'DR-RACE');
    expect(state.reviews.TAX).toMatchObject({ status: 'APPROVED', decidedAt: NOW.toISOString() });
    expect(state.reviews.CUSTOMS?.status).toBe('PENDING');
  });

  it('needs a reason to reject and supersedes the other party when it does', async () => {
    const { links } = await underReview(store, 'DR-REJECT', AT);
    const nonce = await nonceOf(links.CUSTOMS);
    expect(
      await decideReview(store, links.CUSTOMS, { decision: 'REJECT', nonce, comment: '  ' }, NOW),
    ).toEqual({
      kind: 'COMMENT_REQUIRED',
      decision: 'REJECT',
    });
    expect(
      await decideReview(store, links.CUSTOMS, { decision: 'REJECT', nonce, comment: 'forged proof' }, NOW),
    ).toEqual({
      kind: 'DECIDED',
      applicationId: 'DR-REJECT',
      party: 'CUSTOMS',
      round: 1,
      decision: 'REJECT',
      decidedAt: NOW.toISOString(),
      comment: 'forged proof',
    });
    const { state } = await requireApplication(store, 'DR-REJECT');
    expect(state.reviews.TAX?.status).toBe('SUPERSEDED');
    const page = await reviewPageModel(store, links.TAX, NOW);
    expect(page?.state).toEqual({ kind: 'GONE', reason: 'SUPERSEDED' });
    const taxNonce = 'B'.repeat(22);
    expect(await decideReview(store, links.TAX, { decision: 'APPROVE', nonce: taxNonce }, NOW)).toEqual({
      kind: 'GONE',
      reason: 'SUPERSEDED',
    });
  });

  it('answers GONE for a withdrawn application and NOT_FOUND for an unknown link', async () => {
    const { links } = await underReview(store, 'DR-WITHDRAWN', AT);
    const nonce = await nonceOf(links.CUSTOMS);
    await apply(store, 'DR-WITHDRAWN', { type: 'WITHDRAWN', at: NOW.toISOString() });
    expect(await decideReview(store, links.CUSTOMS, { decision: 'APPROVE', nonce }, NOW)).toEqual({
      kind: 'GONE',
      reason: 'WITHDRAWN',
    });
    expect((await findReviewLink(store, links.CUSTOMS))?.link.usedAt).toBeUndefined();
    expect(await decideReview(store, 'C'.repeat(43), { decision: 'APPROVE', nonce }, NOW)).toEqual({
      kind: 'NOT_FOUND',
    });
  });

  it('shows the page without changing anything, and the recorded decision once used', async () => {
    const { links } = await underReview(store, 'DR-PAGE', AT);
    const before = await requireApplication(store, 'DR-PAGE');
    const page = await reviewPageModel(store, links.CUSTOMS, NOW);
    expect(page).toMatchObject({
      party: 'CUSTOMS',
      round: 1,
      application: { id: 'DR-PAGE', statement: 'please', status: 'UNDER_REVIEW' },
      state: { kind: 'OPEN' },
    });
    expect((await requireApplication(store, 'DR-PAGE')).version).toBe(before.version);
    const nonce = await nonceOf(links.CUSTOMS);
    await decideReview(store, links.CUSTOMS, { decision: 'REQUEST_CHANGES', nonce, comment: 'more' }, NOW);
    expect((await reviewPageModel(store, links.CUSTOMS, NOW))?.state).toEqual({
      kind: 'DECIDED',
      decision: 'REQUEST_CHANGES',
      decidedAt: NOW.toISOString(),
      comment: 'more',
    });
  });
});
