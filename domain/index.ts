/** The domain's public API: pure rules, no I/O. Import from here outside domain/. */
export * from './tiers.ts';
export * from './vocabulary.ts';
export * from './labels.ts';
export * from './policy.ts';
export * from './dates.ts';
export * from './money.ts';
export * from './facts.ts';
export * from './classification.ts';
export * from './eligibility.ts';
export * from './documents.ts';
export * from './enterprise-duties.ts';
export * from './errors.ts';
export * from './lifecycle.ts';
export * from './tally.ts';
export * from './deadlines.ts';
export * from './review-duties.ts';
