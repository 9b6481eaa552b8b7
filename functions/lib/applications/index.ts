/** The application side: repository, review links, use cases, read models, workflow steps. */
export * from './errors.ts';
export * from './ids.ts';
export * from './repository.ts';
export * from './review-links.ts';
export * from './submit.ts';
export * from './evidence.ts';
export * from './review.ts';
export * from './withdraw.ts';
export * from './expire.ts';
export * from './causes-changed.ts';
export * from './view.ts';
export * from './wait-tokens.ts';
export * from './notifications.ts';
export * from './steps/index.ts';
