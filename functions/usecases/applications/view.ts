import { reviewSchedule } from '../../../domain/deadlines.ts';
import { policyOf } from '../../../domain/lifecycle.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { coveredCauseIdsOf } from './causes-changed.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Tier } from '../../../domain/tiers.ts';
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  type DocumentType,
  type OutcomeReason,
  type Party,
  type ReviewStatus,
} from '../../../domain/vocabulary.ts';
import {
  APPLICATIONS_OF_PARENT_PREFIX,
  applicationStatusPartition,
  enterprisePartition,
} from '../../ports/store/keys.ts';
import { InvalidPageTokenError } from '../../ports/store/errors.ts';
import { type Store, type StoredItem } from '../../ports/store/store.ts';
import { decodePageToken, encodePageToken } from '../../adapters/item-store/page-token.ts';
import {
  ApplicationNotFoundError,
  loadApplicationPartition,
  type ApplicationPartition,
  type EvidenceStatus,
  type TimelineDetail,
} from './repository.ts';
import type { ApplicationState } from '../../../domain/lifecycle.ts';

/**
 * Read models of applications: CONTRACT.md's `GET /applications/{id}` (functions/api/schemas.ts
 * `Application`) and the newest-first list. They are built from the stored items by naming each
 * field they show, so nothing server-side (task tokens, link hashes, S3 keys) can leak into them.
 */

export interface ApplicationSummary {
  readonly id: string;
  readonly enterpriseId: string;
  readonly status: ApplicationStatus;
  readonly fromTier: Tier;
  readonly targetTier: Tier;
  readonly round: number;
  readonly submittedAt: string;
}

export const summaryOf = (state: ApplicationState): ApplicationSummary => ({
  id: state.id,
  enterpriseId: state.enterpriseId,
  status: state.status,
  fromTier: state.fromTier,
  targetTier: state.targetTier,
  round: state.round,
  submittedAt: state.submittedAt,
});

/** The whole application (GET /applications/{id}): its summary, evidence, reviews and timeline. */
export interface ApplicationView extends ApplicationSummary {
  readonly policyId: string;
  /** The causes the application was accepted for, by id (RULES.md §6.1). */
  readonly coveredCauseIds: string[];
  /** The applicant's response with each resubmission (RULES.md §6.10). */
  readonly responses: { round: number; response: string; at: string }[];
  /** Earlier rounds that ended with change requests, with each party's decision and comment. */
  readonly earlierRounds: {
    round: number;
    reviews: { party: Party; status: ReviewStatus; decidedAt?: string; comment?: string }[];
  }[];
  readonly evidenceDeadline?: LocalDate;
  readonly requiredDocuments: DocumentType[];
  readonly evidence: {
    evidenceId: string;
    documentType: DocumentType;
    fileName: string;
    contentType: string;
    size: number;
    status: EvidenceStatus;
    requestedAt: string;
    round: number;
  }[];
  readonly reviews: {
    party: Party;
    status: ReviewStatus;
    decidedAt?: string;
    comment?: string;
    deadline?: LocalDate;
  }[];
  readonly outcome?: { status: ApplicationStatus; reason: OutcomeReason; decidedAt: string };
  readonly timeline: { at: string; type: string; actor: string; detail?: TimelineDetail }[];
}

export function applicationView(
  { record, evidence, timeline }: ApplicationPartition,
  coveredCauseIds: readonly string[],
): ApplicationView {
  const { state } = record;
  const deadline =
    state.reviewOpenedOn === undefined
      ? undefined
      : reviewSchedule(state.reviewOpenedOn, policyOf(state)).deadlineOn;
  return {
    ...summaryOf(state),
    policyId: state.policyId,
    coveredCauseIds: [...coveredCauseIds],
    responses: (state.responses ?? []).map((r) => ({ round: r.round, response: r.response, at: r.at })),
    earlierRounds: (state.earlierRounds ?? []).map((r) => ({
      round: r.round,
      reviews: r.reviews.map((review) => ({ ...review })),
    })),
    ...(state.status === 'AWAITING_EVIDENCE' ? { evidenceDeadline: state.evidenceDueOn } : {}),
    requiredDocuments: [...state.requiredDocuments],
    evidence: [...evidence]
      .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0))
      .map((e) => ({
        evidenceId: e.evidenceId,
        documentType: e.documentType,
        fileName: e.fileName,
        contentType: e.contentType,
        size: e.size,
        status: e.status,
        requestedAt: e.requestedAt,
        round: e.round,
      })),
    reviews: state.parties.flatMap((party) => {
      const review = state.reviews[party];
      if (!review) return [];
      return [
        {
          party,
          status: review.status,
          ...(review.decidedAt === undefined ? {} : { decidedAt: review.decidedAt }),
          ...(review.comment === undefined ? {} : { comment: review.comment }),
          ...(review.status === 'PENDING' && deadline !== undefined ? { deadline } : {}),
        },
      ];
    }),
    ...(state.outcome
      ? {
          outcome: {
            status: state.outcome.status,
            reason: state.outcome.reason,
            decidedAt: state.outcome.at,
          },
        }
      : {}),
    timeline: timeline.map((t) => ({
      at: t.at,
      type: t.type,
      actor: t.actor,
      ...(t.detail ? { detail: t.detail } : {}),
    })),
  };
}

/**
 * The view the API answers with after reading or changing an application. An application stored
 * before revision 2 did not record the causes it covers: they are read from its enterprise.
 */
export async function requireApplicationView(store: Store, applicationId: string): Promise<ApplicationView> {
  const partition = await loadApplicationPartition(store, applicationId);
  if (partition === undefined) throw new ApplicationNotFoundError(applicationId);
  const { state } = partition.record;
  const covered =
    state.coveredCauseIds ??
    coveredCauseIdsOf(state, (await requireEnterprise(store, state.enterpriseId)).input);
  return applicationView(partition, covered);
}

export interface ListApplicationsInput {
  readonly enterpriseId?: string;
  readonly status?: ApplicationStatus;
  readonly nextToken?: string;
  readonly limit: number;
}

export interface ApplicationPage {
  readonly items: ApplicationSummary[];
  readonly nextToken?: string;
}

type IndexedApplication = StoredItem & { state: ApplicationState; gsi1sk: string; gsi2sk: string };

/**
 * Applications newest first. By enterprise: the byParent index. By status: that status's byStatus
 * partition. Both: the enterprise's applications with the others of the page left out (an
 * enterprise has a handful). Neither: the six status partitions merged, newest first, paged with a
 * cursor on the byStatus sort key (`<submittedAt>#<id>`, unique).
 */
export async function listApplications(store: Store, input: ListApplicationsInput): Promise<ApplicationPage> {
  if (input.enterpriseId !== undefined) {
    const page = await store.queryPage<IndexedApplication>(
      {
        index: 'byParent',
        partition: enterprisePartition(input.enterpriseId),
        sortKey: { beginsWith: APPLICATIONS_OF_PARENT_PREFIX },
        descending: true,
        limit: input.limit,
      },
      input.nextToken,
    );
    const items = page.items
      .map((item) => summaryOf(item.state))
      .filter((s) => input.status === undefined || s.status === input.status);
    return { items, ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }) };
  }
  if (input.status !== undefined) {
    const page = await store.queryPage<IndexedApplication>(
      {
        index: 'byStatus',
        partition: applicationStatusPartition(input.status),
        descending: true,
        limit: input.limit,
      },
      input.nextToken,
    );
    return {
      items: page.items.map((item) => summaryOf(item.state)),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }
  return listAllApplications(store, input.limit, input.nextToken);
}

function parseBefore(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const value = decodePageToken(token) as { before?: unknown } | null;
  if (!value || typeof value !== 'object' || typeof value.before !== 'string' || value.before.length === 0) {
    throw new InvalidPageTokenError();
  }
  return value.before;
}

async function listAllApplications(
  store: Store,
  limit: number,
  nextToken: string | undefined,
): Promise<ApplicationPage> {
  const before = parseBefore(nextToken);
  const pages = await Promise.all(
    APPLICATION_STATUSES.map((status) =>
      store.queryPage<IndexedApplication>({
        index: 'byStatus',
        partition: applicationStatusPartition(status),
        ...(before === undefined ? {} : { sortKey: { lessOrEqual: before } }),
        descending: true,
        // One more than a page: the cursor item itself may come back (lessOrEqual).
        limit: limit + 1,
      }),
    ),
  );
  const merged = pages
    .flatMap((page) => page.items)
    .filter((item) => before === undefined || item.gsi2sk < before)
    .sort((a, b) => (a.gsi2sk < b.gsi2sk ? 1 : a.gsi2sk > b.gsi2sk ? -1 : 0));
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  const more = merged.length > limit || pages.some((page) => page.nextToken !== undefined);
  return {
    items: items.map((item) => summaryOf(item.state)),
    ...(more && last ? { nextToken: encodePageToken({ before: last.gsi2sk }) } : {}),
  };
}
