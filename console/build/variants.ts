import { fileURLToPath } from 'node:url';

/**
 * The console's two builds and where they go (console/dist/, not committed):
 * - `embedded`: what `npm start` serves, with the operator pages (dev sign-in, clock, sweep, inbox)
 *   and the API docs page;
 * - `static`: the site for AWS, without either (checked on the built files by a test).
 */
export const CONSOLE_VARIANTS = ['embedded', 'static'] as const;
export type ConsoleVariant = (typeof CONSOLE_VARIANTS)[number];

export const CONSOLE_DIR = fileURLToPath(new URL('../', import.meta.url));
export const consoleOutDir = (variant: ConsoleVariant): string =>
  fileURLToPath(new URL(`../dist/${variant}/`, import.meta.url));
