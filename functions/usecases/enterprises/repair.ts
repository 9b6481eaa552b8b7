import { classify, type RecordedClosure } from '../../../domain/classification.ts';
import { coverageVerdict, type CoverageVerdict } from '../../../domain/coverage.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import type { Store } from '../../ports/store/store.ts';
import { updateProfile, type LoadedEnterprise } from './records.ts';

export interface RepairInput {
  readonly applicationId: string;
  /** The day the repair took effect: the day the reviews approved it. */
  readonly on: LocalDate;
  /** The causes the application covered; those still open that day close as REPAIRED. */
  readonly causeIds: readonly string[];
  /** RULES.md §4: no certified tier before this day. */
  readonly certificationBarUntil: LocalDate;
}

export interface RepairResult {
  readonly enterprise: LoadedEnterprise;
  /** The closures of this repair, from the first write; none when `verdict` refused it. */
  readonly closures: RecordedClosure[];
  readonly added: boolean;
  /** COVERED when the repair is recorded; otherwise why the causes no longer allow it (RULES.md §6.1). */
  readonly verdict: CoverageVerdict;
}

/**
 * Records an approved repair on the profile (RULES.md §6.1), after checking once more, as of
 * `at.today`, that the enterprise's active causes are exactly the covered ones, all rectified. In
 * one conditional write: a REPAIRED closure, by id, for each covered cause still open on the
 * repair's day, the certification bar, and the release of the application's open claim. A fact
 * recorded meanwhile moves the profile's version, so the write is decided again with it: either the
 * repair is checked against the new fact, or the fact's route finds the claim already released and
 * the new cause stands after the repair. Idempotent: a repair of the same application is recorded
 * once. Nothing is written when the verdict is not COVERED.
 */
export async function recordRepair(
  store: Store,
  enterpriseId: string,
  repair: RepairInput,
  at: { now: string; today: LocalDate },
): Promise<RepairResult> {
  const ofRepair = (closures: readonly RecordedClosure[]): RecordedClosure[] =>
    closures.filter((c) => c.applicationId === repair.applicationId && c.kind === 'REPAIRED');
  let verdict: CoverageVerdict = { kind: 'COVERED', activeCoveredIds: [] };
  const { enterprise, changed } = await updateProfile(store, enterpriseId, at.today, (current) => {
    const recorded = ofRepair(current.input.closures);
    const bar = repair.certificationBarUntil;
    const previousBar = current.profile.certificationBarUntil;
    const holdsClaim = current.profile.openApplicationId === repair.applicationId;
    if (recorded.length > 0 || (!holdsClaim && previousBar !== undefined && previousBar >= bar)) {
      verdict = { kind: 'COVERED', activeCoveredIds: recorded.map((c) => c.causeId) };
      return null;
    }
    verdict = coverageVerdict(repair.causeIds, classify(current.input, at.today), 'UPGRADE');
    if (verdict.kind !== 'COVERED') return null;
    const covered = new Set(repair.causeIds);
    const open = classify(current.input, repair.on).determined.filter(
      (c) => covered.has(c.id) && c.closed === undefined,
    );
    const closures: RecordedClosure[] = open.map((cause) => ({
      causeId: cause.id,
      kind: 'REPAIRED',
      on: repair.on,
      recordedAt: at.now,
      applicationId: repair.applicationId,
    }));
    return {
      closures: [...current.input.closures, ...closures],
      ...(previousBar === undefined || bar > previousBar ? { certificationBarUntil: bar } : {}),
      ...(holdsClaim ? { openApplicationId: undefined, openClaimedAt: undefined } : {}),
    };
  });
  return { enterprise, closures: ofRepair(enterprise.input.closures), added: changed, verdict };
}
