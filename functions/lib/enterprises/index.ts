/** The enterprise side: repository, use cases and views. Import from here outside this folder. */
export * from './errors.ts';
export * from './repository.ts';
export * from './timeline.ts';
export * from './register.ts';
export * from './facts.ts';
export * from './view.ts';
export { newFactId } from './ids.ts';
