/** The listing-events port: how the other agencies learn that an enterprise's listing changed. */

export interface ListingChangedDetail {
  readonly enterpriseId: string;
  readonly fromTier: string;
  readonly toTier: string;
  /** REPAIRED (an approved application) or LISTING_EXPIRED (the sweep). */
  readonly reason: string;
  readonly effectiveOn: string;
  readonly policyId: string;
  /** Deterministic id of the change, so receivers can drop the duplicates an at-least-once retry sends. */
  readonly changeId: string;
  readonly applicationId?: string;
}

export interface ListingEvents {
  publishListingChanged(detail: ListingChangedDetail): Promise<{ eventId: string }>;
}
