import { fileURLToPath } from 'node:url';

/** The repository root: handler entries and the lock file are resolved from here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
