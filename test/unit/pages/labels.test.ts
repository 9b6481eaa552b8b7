import { describe, expect, it } from 'vitest';
import * as domainLabels from '../../../domain/labels.ts';
import { PARTIES } from '../../../domain/vocabulary.ts';
import {
  reviewReminderEmail,
  reviewRequestEmail,
} from '../../../functions/pages/email/application-emails.ts';
import { PARTY_NAMES, tierName } from '../../../domain/labels.ts';
import { composeBilingual } from '../../../functions/pages/email/bilingual.ts';
import { listingChangedEmail } from '../../../functions/pages/email/sweep-emails.ts';

/**
 * One definition of the bilingual names: the review request that opens a round, the sweep's
 * reminder that chases it and the review page it links to call each party by the same name.
 */

describe('bilingual labels', () => {
  it('have one home, domain/labels.ts, which the web console and the review pages import too', () => {
    expect(PARTY_NAMES).toBe(domainLabels.PARTY_NAMES);
    expect(tierName).toBe(domainLabels.tierName);
  });

  it.each(PARTIES)('name %s the same in the review request and in the sweep reminder', (party) => {
    const ask = {
      reviewerName: 'R',
      party,
      applicationId: 'APP1',
      enterpriseId: 'ENT0000001',
      enterpriseName: 'E',
      fromTier: 'DISHONEST',
      round: 1,
      deadlineOn: '2026-05-24',
      timeoutOn: '2026-07-09',
      url: 'https://review.test/review/abc',
    } as const;
    const request = reviewRequestEmail(ask);
    const reminder = reviewReminderEmail({ ...ask, url: 'https://review.test/review/def' });
    for (const lang of ['zh', 'en'] as const) {
      expect(request.text).toContain(PARTY_NAMES[party][lang]);
      expect(reminder.text).toContain(PARTY_NAMES[party][lang]);
    }
  });

  it("call a tier by the domain's Chinese name and public listing label", () => {
    expect(tierName('REGULAR')).toEqual({ zh: '常规企业', en: 'Neutral Listing' });
    const restored = composeBilingual(
      listingChangedEmail(
        { id: 'ENT0000001', name: 'E' },
        { on: '2026-04-10', from: 'DISHONEST', to: 'REGULAR', listingUntil: null },
      ),
    );
    expect(restored.text).toContain('常规企业');
    expect(restored.text).toContain('Neutral Listing');
  });
});
