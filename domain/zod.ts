import {
  config,
  globalRegistry,
  ZodMiniISODate,
  ZodMiniISODateTime,
  ZodMiniNumber,
  type ZodMiniType,
} from 'zod/mini';
import {
  _coercedNumber,
  _isoDate,
  _isoDateTime,
  type $ZodISODateParams,
  type $ZodISODateTimeParams,
  type $ZodNumberParams,
} from 'zod/v4/core';
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

/*
 * zod/mini exports `iso` and `coerce` as namespace objects: a bundle that uses one of their
 * functions carries all of them, and with them schema kinds nothing of ours builds (ISO times and
 * durations, coerced bigints and dates: 2.4 KB of a minified API bundle). These two objects,
 * which shadow zod's, hold only the functions we use, built exactly as zod/mini's own are.
 */

/** zod/mini's `iso.datetime` and `iso.date`. */
export const iso = {
  datetime: (params?: string | $ZodISODateTimeParams): ZodMiniISODateTime =>
    _isoDateTime(ZodMiniISODateTime, params),
  date: (params?: string | $ZodISODateParams): ZodMiniISODate => _isoDate(ZodMiniISODate, params),
};

/** zod/mini's `coerce.number`. */
export const coerce = {
  number: <T = unknown>(params?: string | $ZodNumberParams): ZodMiniNumber<T> =>
    _coercedNumber(ZodMiniNumber, params) as ZodMiniNumber<T>,
};

/**
 * A schema a module builds at import, written `/* @__PURE__ *\/ z.schema(() => …)` so a bundle
 * that never uses it leaves it out. esbuild keeps every top-level call it cannot prove free of side
 * effects, and zod's are such calls (a chained `.check()`, a schema passed to another), so a module
 * imported for one export carried every schema it builds and the schema kinds those need. The
 * annotation tells esbuild the call may go when its result is unused (it reads it at the call, not
 * here); the arrow holds the whole construction, so nothing of it is left behind. The schema is
 * built at once, exactly as without the wrapper. A test requires it on every schema a module of
 * domain/ or functions/ builds at its top level (test/unit/domain/tree-shakable-schemas.test.ts).
 */
export const schema = <T>(build: () => T): T => build();

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
