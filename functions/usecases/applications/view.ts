import type { LocalDate } from '../../../domain/dates.ts';
import { reviewSchedule } from '../../../domain/deadlines.ts';
import { verifyStoredDocument, type StoredDocumentProblem } from '../../../domain/documents.ts';
import { policyOf, type ApplicationState } from '../../../domain/lifecycle.ts';
import type { Tier } from '../../../domain/tiers.ts';
import type {
  ApplicationStatus,
  DocumentType,
  OutcomeReason,
  Party,
  ReviewStatus,
} from '../../../domain/vocabulary.ts';
import type { EvidenceInspection } from '../../ports/evidence-store.ts';
import type { StoreReader } from '../../ports/store/store.ts';
import { requireEnterprise } from '../enterprises/records.ts';
import { coveredCauseIdsOf } from './causes-changed.ts';
import { ApplicationNotFoundError } from './errors.ts';
import type { EvidenceRecord, EvidenceStatus } from './evidence-records.ts';
import { loadApplicationWithTimeline, type ApplicationRecord } from './records.ts';
import type { TimelineDetail, TimelineEntry } from './timeline.ts';

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

/** A list entry: the summary with the deadline that runs now and whether it has passed. */
export interface ApplicationListEntry extends ApplicationSummary {
  /** The last day for the evidence (AWAITING_EVIDENCE) or for the round's reviews (UNDER_REVIEW). */
  readonly deadline?: LocalDate;
  /** `today` is after `deadline`: the sweep of the day expires it. */
  readonly overdue: boolean;
}

export function listEntryOf(state: ApplicationState, today: LocalDate): ApplicationListEntry {
  const deadline =
    state.status === 'AWAITING_EVIDENCE'
      ? state.evidenceDueOn
      : state.status === 'UNDER_REVIEW' && state.reviewOpenedOn !== undefined
        ? reviewSchedule(state.reviewOpenedOn, policyOf(state)).deadlineOn
        : undefined;
  return {
    ...summaryOf(state),
    ...(deadline === undefined ? {} : { deadline }),
    overdue: deadline !== undefined && today > deadline,
  };
}

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
    problem?: StoredDocumentProblem;
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

/** What storage shows of an upload not yet submitted: landed and verified, or landed but wrong. */
export type UploadCheck =
  { readonly status: 'UPLOADED' } | { readonly status: 'INVALID'; readonly problem: StoredDocumentProblem };

export function applicationView(
  { record, evidence, timeline }: ApplicationPartition,
  coveredCauseIds: readonly string[],
  uploads: ReadonlyMap<string, UploadCheck> = new Map(),
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
        ...uploads.get(e.evidenceId),
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
export async function requireApplicationView(
  store: StoreReader,
  applicationId: string,
  uploadsOf?: {
    readonly evidenceStore: EvidenceInspection;
    /** Throws when the caller may not see the application: checked before storage is read. */
    readonly authorize: (enterpriseId: string) => void;
  },
): Promise<ApplicationView> {
  const partition = await loadApplicationPartition(store, applicationId);
  if (partition === undefined) throw new ApplicationNotFoundError(applicationId);
  const { state } = partition.record;
  uploadsOf?.authorize(state.enterpriseId);
  const covered =
    state.coveredCauseIds ??
    coveredCauseIdsOf(state, (await requireEnterprise(store, state.enterpriseId)).input);
  const uploads =
    uploadsOf === undefined ? undefined : await checkPendingUploads(uploadsOf.evidenceStore, partition);
  return applicationView(partition, covered, uploads);
}

/**
 * The view of an application this request has just created, without a read: nothing else is in its
 * partition yet (no evidence, no task has run), and its first timeline entry is in its outbox.
 */
export function createdApplicationView(record: ApplicationRecord): ApplicationView {
  if (record.state.coveredCauseIds === undefined) {
    throw new Error(`application ${record.state.id} was created without its covered causes`);
  }
  return applicationView(
    { record, evidence: [], timeline: [...record.lastEvents] },
    record.state.coveredCauseIds,
  );
}

/**
 * The applicant sees an upload land before submitting: each of this round's uploads still
 * PENDING_UPLOAD is looked at in storage (one ranged GET each; the tickets per document and round
 * are few) and shown UPLOADED when its file is the declared document, INVALID with the reason
 * when not. Nothing is recorded: submission freezes and verifies again, on the copy it pins.
 */
async function checkPendingUploads(
  evidenceStore: EvidenceInspection,
  { record, evidence }: ApplicationPartition,
): Promise<Map<string, UploadCheck>> {
  const { state } = record;
  const checks = new Map<string, UploadCheck>();
  if (state.status !== 'AWAITING_EVIDENCE') return checks;
  const pending = evidence.filter((e) => e.status === 'PENDING_UPLOAD' && e.round === state.round);
  await Promise.all(
    pending.map(async (e) => {
      // An upload storage cannot read (torn, damaged) stays PENDING_UPLOAD here; submit reports it.
      const stored = await evidenceStore.inspect(e.s3Key).catch(() => undefined);
      if (stored === undefined || !stored.exists) return;
      const problem = verifyStoredDocument(e, stored, policyOf(state));
      checks.set(e.evidenceId, problem === null ? { status: 'UPLOADED' } : { status: 'INVALID', problem });
    }),
  );
  return checks;
}

/** The application's partition as the read model needs it. */
export interface ApplicationPartition {
  readonly record: ApplicationRecord;
  readonly evidence: EvidenceRecord[];
  readonly timeline: TimelineEntry[];
}

/** The application, its evidence and its timeline in one Query of its partition. */
export async function loadApplicationPartition(
  store: StoreReader,
  applicationId: string,
): Promise<ApplicationPartition | undefined> {
  const loaded = await loadApplicationWithTimeline(store, applicationId);
  if (!loaded) return undefined;
  const { record, evidence } = loaded;
  // The outbox's entries may not be appended yet (a crash right after the state write).
  const stored = new Set(loaded.timeline.map((entry) => entry.sk));
  const staged = record.lastEvents.filter((entry) => !stored.has(entry.sk));
  const timeline = [...loaded.timeline, ...staged];
  if (staged.length > 0) timeline.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  return { record, evidence, timeline };
}
