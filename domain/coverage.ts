import type { Classification } from './classification.ts';

/**
 * RULES.md §6.1: an application repairs the causes it was accepted for, by id, and no others.
 * Whoever learns of a change in the enterprise's causes while an application is open (the fact
 * routes, the sweep, the upgrade step) asks this what it means for the application.
 *
 * - A cause the application does not cover is active: it ends at once, REJECTED with
 *   NEW_CAUSE_DETERMINED, whether the cause came from a new fact or arose by time.
 * - No covered cause is left active (each closed by listing expiry, or voided away): EXPIRED with
 *   LISTING_ENDED, nothing is left to repair.
 * - At the upgrade, a covered cause that is active but not rectified is the same rejection: the
 *   tier is only restored when the causes are exactly the covered ones, all rectified. Before the
 *   upgrade a payment may still be missing (the reviewers see it), so only the upgrade asks.
 *
 * A covered cause closed by listing expiry counts as met.
 */

export type CoverageVerdict =
  | { readonly kind: 'COVERED'; readonly activeCoveredIds: readonly string[] }
  | { readonly kind: 'NEW_CAUSE_DETERMINED'; readonly causeIds: readonly string[] }
  | { readonly kind: 'LISTING_ENDED' };

export function coverageVerdict(
  coveredCauseIds: readonly string[],
  classification: Classification,
  moment: 'OPEN' | 'UPGRADE',
): CoverageVerdict {
  const covered = new Set(coveredCauseIds);
  const uncovered = classification.causes.filter((c) => !covered.has(c.id));
  const unrectified =
    moment === 'UPGRADE' ? classification.causes.filter((c) => covered.has(c.id) && !c.rectified) : [];
  if (uncovered.length > 0 || unrectified.length > 0) {
    return { kind: 'NEW_CAUSE_DETERMINED', causeIds: [...uncovered, ...unrectified].map((c) => c.id) };
  }
  const activeCoveredIds = classification.causes.map((c) => c.id);
  return activeCoveredIds.length === 0 ? { kind: 'LISTING_ENDED' } : { kind: 'COVERED', activeCoveredIds };
}
