import { config, globalRegistry, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod for every schema of ours: zod 4's tree-shakable API (`zod/mini`), so a Lambda bundle carries
 * only the schema kinds and checks it uses, not the classic API's every method. Classic zod
 * configures its English messages when imported; mini leaves them to the application, and the
 * messages are contract (a problem document's `errors[].message`), so they are set here, once, by
 * the module every schema is built from: whatever parses, parses with the English messages.
 */
config(en());

export * from 'zod/mini';

/**
 * The schema with a description for the documents generated from it (OpenAPI): a copy carrying it
 * in zod's global metadata registry, which the JSON Schema output reads. What classic zod's
 * `.describe()` does; parsing is the same as the original's.
 */
export function described<S extends ZodMiniType>(schema: S, description: string): S {
  const copy = schema.clone();
  globalRegistry.add(copy as ZodMiniType, { description });
  return copy;
}
