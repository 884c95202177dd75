import fc from 'fast-check';
import { EMAIL_PATTERN, ID_PATTERN } from '../../src/api/contract/fields';
import { isSafeText, SAFE_TEXT_PATTERN } from '../../src/api/http/text';
import { resolve, type JsonSchema, type OpenApiDocument } from './openapi';

/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document: values that fit a schema, and values
 * near it (one part broken: a wrong value, a missing or unknown field, a repeated list entry). Which of them
 * are valid is for a JSON Schema validator to judge, not this generator.
 */

const safeCharacter = fc
  .oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x1f300, max: 0x1f64f }) }, // emoji: two UTF-16 units, one character
  )
  .map((codePoint) => String.fromCodePoint(codePoint))
  .filter(isSafeText);

const safeText = (minLength: number, maxLength: number) =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.array(safeCharacter, { minLength, maxLength: Math.min(maxLength, 40) }) },
      { weight: 1, arbitrary: fc.array(safeCharacter, { minLength: Math.max(minLength, maxLength - 3), maxLength }) },
    )
    .map((chars) => chars.join(''))
    .filter((s) => s.trim().length > 0);

/** A generator per pattern the document uses; a new pattern fails loudly here until it has one. */
const stringOf = (schema: JsonSchema): fc.Arbitrary<string> => {
  const { pattern, minLength = 0, maxLength = 64 } = schema;
  if (pattern === undefined) return fc.string({ minLength, maxLength });
  if (pattern === SAFE_TEXT_PATTERN) return safeText(Math.max(1, minLength), maxLength);
  if (pattern === ID_PATTERN.source) return fc.stringMatching(ID_PATTERN);
  if (pattern === EMAIL_PATTERN.source) return fc.stringMatching(/^[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,6}$/);
  if (!/\\p\{/.test(pattern)) return fc.stringMatching(new RegExp(pattern));
  throw new Error(`No string generator for pattern ${pattern}`);
};

export const valueOf = (doc: OpenApiDocument, given: JsonSchema): fc.Arbitrary<unknown> => {
  const schema = resolve(doc, given);
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as JsonSchema[]).map((s) => valueOf(doc, s)));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  switch (schema.type) {
    case 'object': {
      const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
      return fc.record(Object.fromEntries(properties.map(([key, s]) => [key, valueOf(doc, s)])), { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.uniqueArray(valueOf(doc, schema.items), { maxLength: schema.maxItems ?? 5, selector: (v) => JSON.stringify(v) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(schema);
  }
  throw new Error(`No generator for schema ${JSON.stringify(schema)}`);
};

/** Values no schema field of this API takes, or takes only at some places. */
const strayValue = fc.oneof(
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', '   ', '\t', 'a\u0000b', 'x\u0085', 'bi\u202Edi', 'iso\u2066late', '\uD800lone', 'x'.repeat(201), '+1555', 'amy@', '2026-13-45'),
);
const strayKey = fc.constantFrom('extra', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Title', 'songs', 'singerID');

type Path = (string | number)[];
const pathsOf = (value: unknown, at: Path = []): Path[] =>
  typeof value === 'object' && value !== null
    ? [at, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k]))]
    : [at];

type Break = { kind: 'replace'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown } | { kind: 'repeat' };
const aBreak: fc.Arbitrary<Break> = fc.oneof(
  { weight: 4, arbitrary: strayValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  { weight: 2, arbitrary: fc.tuple(strayKey, strayValue).map(([key, value]) => ({ kind: 'add' as const, key, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'repeat' as const }) },
);

/** `value` with one part broken (the break may happen to leave it valid: the validator decides). */
const broken = (value: unknown, path: Path, change: Break): unknown => {
  const copy = structuredClone(value);
  if (path.length === 0) {
    if (change.kind === 'replace') return change.value;
    if (change.kind === 'add' && typeof copy === 'object' && copy !== null && !Array.isArray(copy)) {
      // An own property even for __proto__, as JSON.parse would make it.
      Object.defineProperty(copy, change.key, { value: change.value, enumerable: true, configurable: true, writable: true });
    }
    if (change.kind === 'repeat' && Array.isArray(copy) && copy.length > 0) copy.push(structuredClone(copy[0]));
    return copy;
  }
  const parent = path.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = path[path.length - 1]!;
  if (change.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (change.kind === 'replace') {
    parent[key] = change.value;
  } else {
    parent[key] = broken(parent[key], [], change);
  }
  return copy;
};

/** Bodies for a schema: about a third fit it as generated, the rest have one part broken. */
export const bodyNear = (doc: OpenApiDocument, schema: JsonSchema): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 1, arbitrary: valueOf(doc, schema) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valueOf(doc, schema), fc.nat(), aBreak)
        .map(([value, pick, change]) => {
          const paths = pathsOf(value);
          return broken(value, paths[pick % paths.length]!, change);
        }),
    },
  );
