import type { ApplicationEvent } from '../../../domain/lifecycle.ts';
import type { Party } from '../../../domain/vocabulary.ts';
import {
  changeApplication,
  createApplication,
  type ApplicationRecord,
} from '../../../functions/usecases/applications/records.ts';
import { createReviewLink } from '../../../functions/usecases/reviews/link-records.ts';
import type { Needs } from '../../../functions/ports/ports.ts';

type Ports = Needs<'store' | 'clock' | 'linkSecret'>;

/** Applications driven straight through the repository (no workflow), for the unit tests. */

export const DOCUMENTS = ['REPAIR_APPLICATION', 'COMMITMENT_LETTER', 'TAX_PAID_PROOF'] as const;

export async function submitted(
  ports: Ports,
  id: string,
  at: string,
  enterpriseId = 'ENT0000001',
): Promise<ApplicationRecord> {
  return createApplication(ports, {
    event: {
      type: 'SUBMITTED',
      at,
      applicationId: id,
      enterpriseId,
      fromTier: 'DISHONEST',
      parties: ['CUSTOMS', 'TAX'],
      requiredDocuments: [...DOCUMENTS],
      policyId: 'GAC-282-2026',
      coveredCauseIds: ['TAX_ARREARS-fact-1'],
    },
    statement: 'please',
    submittedBy: 'applicant-1',
    actor: 'applicant:applicant-1',
  });
}

export async function apply(ports: Ports, id: string, event: ApplicationEvent): Promise<ApplicationRecord> {
  return (await changeApplication(ports, id, () => event, 'test')).record;
}

/** An application whose first review round is open, with a link per party. */
export async function underReview(
  ports: Ports,
  id: string,
  at: string,
): Promise<{ record: ApplicationRecord; links: Record<Party, string> }> {
  await submitted(ports, id, at);
  for (const documentType of DOCUMENTS) {
    await apply(ports, id, { type: 'EVIDENCE_UPLOADED', at, documentType, evidenceId: `EV-${documentType}` });
  }
  await apply(ports, id, { type: 'EVIDENCE_SUBMITTED', at });
  const record = await apply(ports, id, { type: 'REVIEW_ROUND_OPENED', at, round: 1 });
  const links: Partial<Record<Party, string>> = {};
  for (const party of ['CUSTOMS', 'TAX'] as const) {
    const { linkId } = await createReviewLink(ports, {
      applicationId: id,
      round: 1,
      party,
      reviewerName: `${party} reviewer`,
      reviewerEmail: `${party.toLowerCase()}@agency.test`,
      expiresAt: '2026-07-01T16:00:00.000Z',
      now: at,
    });
    links[party] = linkId;
  }
  return { record, links: links as Record<Party, string> };
}
