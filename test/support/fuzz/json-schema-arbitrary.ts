import fc from 'fast-check';
import { toJSONSchema } from 'zod';
import type { $ZodType } from 'zod/v4/core';

/**
 * fast-check arbitraries derived from the route table's zod schemas: the schema is rendered to JSON
 * Schema by zod itself (its input side, what a client sends), and the JSON Schema is turned into
 * an arbitrary of values that satisfy its types, enums, patterns, lengths and ranges. Refinements
 * zod cannot render (a date that exists, "certifiedOn only for a certified tier") are not followed,
 * so some generated values are refused: the fuzz wants both.
 */

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly format?: string;
}

export function jsonSchemaOf(schema: $ZodType): JsonSchema {
  return toJSONSchema(schema as never, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

const DEFAULT_MAX_STRING = 40;
const LOCAL_DATE_PATTERN = String.raw`^(\d{4})-(\d{2})-(\d{2})$`;

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, DEFAULT_MAX_STRING);
  // The calendar date pattern of domain/dates.ts: real dates around today's, so date rules are reached.
  if (schema.pattern === LOCAL_DATE_PATTERN) {
    return fc
      .date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2029-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern);
    return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
  }
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'email') return fc.emailAddress();
  return fc.string({ minLength: min, maxLength: Math.min(max, min + DEFAULT_MAX_STRING), unit: 'grapheme' });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e9);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e9);
  if (integer)
    return fc.integer({
      min: Math.max(min, Number.MIN_SAFE_INTEGER),
      max: Math.min(max, Number.MAX_SAFE_INTEGER),
    });
  return fc.oneof(
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: Math.max(min, -1e6), max: Math.min(max, 1e6) }),
  );
}

function objectArbitrary(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) shape[name] = arbitraryOf(property);
  const requiredKeys = Object.keys(shape).filter((name) => required.has(name));
  return fc.record(shape, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

/** An arbitrary of values that satisfy the JSON Schema (as far as JSON Schema says). */
export function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map(arbitraryOf));
  if (schema.allOf !== undefined && schema.allOf.length > 0) return arbitraryOf(schema.allOf[0]!);
  const types =
    schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (types.length > 1) return fc.oneof(...types.map((type) => arbitraryOf({ ...schema, type })));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? arbitraryOf(schema.items) : fc.jsonValue(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'object':
      return objectArbitrary(schema);
    default:
      return fc.jsonValue();
  }
}

/** Values the zod schema's JSON Schema admits. */
export const arbitraryFromZod = (schema: $ZodType): fc.Arbitrary<unknown> =>
  arbitraryOf(jsonSchemaOf(schema));

/** Names of the required properties and of all properties of an object schema. */
export function propertiesOf(schema: $ZodType): { all: string[]; required: string[] } {
  const json = jsonSchemaOf(schema);
  return { all: Object.keys(json.properties ?? {}), required: [...(json.required ?? [])] };
}
