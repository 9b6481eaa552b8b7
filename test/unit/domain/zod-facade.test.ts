import { describe, expect, it } from 'vitest';
import * as mini from 'zod/mini';
import { coerce, iso, toJSONSchema, type ZodMiniType } from '../../../domain/zod.ts';

/**
 * domain/zod.ts replaces zod/mini's `iso` and `coerce` namespaces with objects holding only the
 * functions we use (the namespaces put every format and coercion into a bundle). Each must build
 * exactly the schema zod/mini's own does: the same kind, the same data and issues (code, path,
 * message: they reach clients) for the same input, and the same JSON Schema.
 */

const INPUTS: readonly unknown[] = [
  '2026-05-04T18:00:00Z',
  '2026-05-04T18:00:00.123Z',
  '2026-05-04T18:00:00+08:00',
  '2026-05-04T18:00',
  '2026-05-04',
  '2026-02-30',
  '2026-5-4',
  'tomorrow',
  '',
  ' 42 ',
  '4.5',
  '1e3',
  'abc',
  42,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  null,
  undefined,
  {},
  [],
];

const outcome = (schema: ZodMiniType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success
    ? { data: result.data }
    : { issues: result.error.issues.map(({ code, path, message }) => ({ code, path, message })) };
};

describe.each([
  ['iso.datetime()', iso.datetime(), mini.iso.datetime()],
  ['iso.datetime({ offset: true })', iso.datetime({ offset: true }), mini.iso.datetime({ offset: true })],
  ['iso.datetime(message)', iso.datetime('an instant'), mini.iso.datetime('an instant')],
  ['iso.date()', iso.date(), mini.iso.date()],
  ['coerce.number()', coerce.number(), mini.coerce.number()],
  ['coerce.number(message)', coerce.number('a number'), mini.coerce.number('a number')],
] as const)('%s', (_name, ours, zods) => {
  it("is zod/mini's schema kind", () => {
    expect(Object.getPrototypeOf(ours)).toBe(Object.getPrototypeOf(zods));
    // A message given makes an error function per schema: the parses below compare what it says.
    const data = (def: object): unknown => JSON.parse(JSON.stringify(def));
    expect(data(ours._zod.def)).toEqual(data(zods._zod.def));
  });

  it.each(INPUTS.map((input) => [input]))('parses %o as zod/mini does', (input) => {
    expect(outcome(ours, input)).toEqual(outcome(zods, input));
  });

  it('has the same JSON Schema', () => {
    expect(toJSONSchema(ours)).toEqual(toJSONSchema(zods));
  });
});
