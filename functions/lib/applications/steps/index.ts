/** The RepairApplication task steps, one module each (docs/architecture.md, "The state machine contract"). */
export { StepPreconditionError, type WorkflowContext } from './context.ts';
export { checkEligibilityStep, type EligibilityResult } from './check-eligibility.ts';
export { awaitEvidenceStep } from './await-evidence.ts';
export { openReviewStep, ReviewerMissingError } from './open-review.ts';
export { tallyStep, type TallyResult } from './tally.ts';
export { recordOutcomeStep } from './record-outcome.ts';
export { upgradeTierStep } from './upgrade-tier.ts';
export { publishListingChangeStep } from './publish-listing-change.ts';
export { notifyStep } from './notify.ts';
