import type { LinkSecret } from '../../ports/link-secret.ts';

/** A link secret given as a value (or none: plain SHA-256), as the embedded runtime and tests have it. */
export const fixedLinkSecret = (secret: string | undefined): LinkSecret => ({
  value: () => Promise.resolve(secret === '' ? undefined : secret),
});
