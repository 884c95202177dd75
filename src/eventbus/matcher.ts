/**
 * EventBridge event-pattern matching for the operators our rules use, so the local bus routes exactly as
 * EventBridge would. Semantics (EventBridge docs, aws/event-ruler):
 * - A pattern mirrors the event's shape; leaves are non-empty arrays of conditions. Conditions in one array
 *   OR; fields AND.
 * - A field the event lacks fails every condition except `exists: false`. Objects are not leaves: a field
 *   holding an object counts as absent for a leaf condition, and so does an empty array.
 * - An array in the event matches if any element does. Objects inside arrays are matched element by element
 *   ("array-consistent": two fields may not be satisfied by different elements of the same array).
 * - Exact values are typed: "5" does not match 5, "" does not match null.
 * - `prefix`/`suffix` test strings only; `numeric` tests numbers only. `anything-but` matches any present
 *   value outside its list (or not starting/ending with its prefix/suffix), of whatever type.
 * Unsupported here (refused with InvalidEventPatternError, never silently mis-matched): `$or`, `wildcard`,
 * `cidr`, `equals-ignore-case`. Ruler's ±5e9 / 6-decimal numeric range limits are not enforced.
 */
import { InvalidEventPatternError } from './errors';

export type PatternLiteral = string | number | boolean | null;

export type AnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string };

export type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

export type PatternCondition =
  | PatternLiteral
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'anything-but': AnythingBut }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (NumericOperator | number)[] };

export interface EventPattern {
  readonly [field: string]: readonly PatternCondition[] | EventPattern;
}

/** Tests the leaf values found at one field (none when the field is absent). */
type LeafTest = (values: readonly unknown[]) => boolean;
type ObjectTest = (candidate: Readonly<Record<string, unknown>>) => boolean;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isLiteral = (v: unknown): v is PatternLiteral =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Leaf values of an event field: arrays are flattened, objects are not leaves. */
const leafValues = (value: unknown): unknown[] => {
  if (value === undefined || isPlainObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return [value];
};

/** Objects an object-valued pattern may match against: the value itself, or the objects in an array. */
const objectsIn = (value: unknown): Record<string, unknown>[] => {
  if (isPlainObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return [];
};

const startsWith = (p: string) => (v: unknown) => typeof v === 'string' && v.startsWith(p);
const endsWith = (s: string) => (v: unknown) => typeof v === 'string' && v.endsWith(s);
const someValue = (test: (v: unknown) => boolean): LeafTest => (values) => values.some(test);

const COMPARE: Record<NumericOperator, (v: number, n: number) => boolean> = {
  '=': (v, n) => v === n,
  '<': (v, n) => v < n,
  '<=': (v, n) => v <= n,
  '>': (v, n) => v > n,
  '>=': (v, n) => v >= n,
};
const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const UNSUPPORTED = new Set(['equals-ignore-case', 'wildcard', 'cidr']);

const fail = (path: string, problem: string): never => {
  throw new InvalidEventPatternError(path, problem);
};

const isComparison = (op: unknown, n: unknown): op is NumericOperator =>
  typeof op === 'string' && op in COMPARE && typeof n === 'number' && Number.isFinite(n);

const compileNumeric = (spec: unknown, path: string): LeafTest => {
  if (!Array.isArray(spec)) return fail(path, 'numeric takes an array such as [">", 0, "<=", 5]');
  const [op1, n1, op2, n2] = spec as unknown[];
  const single = spec.length === 2 && isComparison(op1, n1);
  const range =
    spec.length === 4 &&
    isComparison(op1, n1) && LOWER_BOUNDS.has(op1) &&
    isComparison(op2, n2) && UPPER_BOUNDS.has(op2);
  if (!single && !range) {
    fail(path, `numeric ${JSON.stringify(spec)}: use [op, n] or [">"|">=", low, "<"|"<=", high]`);
  }
  const checks = range
    ? [(v: number) => COMPARE[op1 as NumericOperator](v, n1 as number), (v: number) => COMPARE[op2 as NumericOperator](v, n2 as number)]
    : [(v: number) => COMPARE[op1 as NumericOperator](v, n1 as number)];
  return someValue((v) => typeof v === 'number' && checks.every((check) => check(v)));
};

const compileAnythingBut = (spec: unknown, path: string): LeafTest => {
  if (isPlainObject(spec)) {
    const keys = Object.keys(spec);
    if (keys.length === 1 && typeof spec.prefix === 'string') {
      const matches = startsWith(spec.prefix);
      return someValue((v) => !matches(v));
    }
    if (keys.length === 1 && typeof spec.suffix === 'string') {
      const matches = endsWith(spec.suffix);
      return someValue((v) => !matches(v));
    }
    return fail(path, `anything-but ${JSON.stringify(spec)}: only {prefix} or {suffix} are supported inside it`);
  }
  const excluded: unknown[] = Array.isArray(spec) ? spec : [spec];
  const allStrings = excluded.every((x) => typeof x === 'string');
  const allNumbers = excluded.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (excluded.length === 0 || !(allStrings || allNumbers)) {
    fail(path, 'anything-but takes a string, a number, or a non-empty list of only strings or only numbers');
  }
  return someValue((v) => !excluded.includes(v));
};

const compileCondition = (condition: unknown, path: string): LeafTest => {
  if (isLiteral(condition)) return someValue((v) => v === condition);
  if (!isPlainObject(condition)) return fail(path, `${JSON.stringify(condition)} is not a value or an operator`);
  const keys = Object.keys(condition);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined) {
    return fail(path, `an operator object has exactly one key, got ${JSON.stringify(condition)}`);
  }
  const spec = condition[operator];
  switch (operator) {
    case 'prefix':
      return typeof spec === 'string' ? someValue(startsWith(spec)) : fail(path, 'prefix takes a string');
    case 'suffix':
      return typeof spec === 'string' ? someValue(endsWith(spec)) : fail(path, 'suffix takes a string');
    case 'anything-but':
      return compileAnythingBut(spec, path);
    case 'numeric':
      return compileNumeric(spec, path);
    case 'exists':
      if (typeof spec !== 'boolean') return fail(path, 'exists takes true or false');
      return spec ? (values) => values.length > 0 : (values) => values.length === 0;
    default:
      return fail(
        path,
        UNSUPPORTED.has(operator) ? `operator "${operator}" is not supported by this matcher` : `unknown operator "${operator}"`,
      );
  }
};

const compileLeaf = (conditions: readonly unknown[], path: string): LeafTest => {
  if (conditions.length === 0) fail(path, 'a list of values must not be empty');
  const tests = conditions.map((c, i) => compileCondition(c, `${path}[${i}]`));
  return (values) => tests.some((test) => test(values));
};

const compileObject = (pattern: unknown, path: string): ObjectTest => {
  if (!isPlainObject(pattern)) return fail(path, 'expected an object of fields');
  const fields = Object.keys(pattern);
  if (fields.length === 0) fail(path, 'an object in a pattern must name at least one field');
  if (fields.includes('$or')) fail(path, '"$or" is not supported by this matcher');
  const tests = fields.map((field): ObjectTest => {
    const sub = pattern[field];
    const subPath = path ? `${path}.${field}` : field;
    if (Array.isArray(sub)) {
      const leaf = compileLeaf(sub, subPath);
      return (candidate) => leaf(leafValues(candidate[field]));
    }
    if (isPlainObject(sub)) {
      const nested = compileObject(sub, subPath);
      // Absent or non-object: only exists:false conditions below can hold, which {} expresses.
      return (candidate) => {
        const objects = objectsIn(candidate[field]);
        return objects.length === 0 ? nested({}) : objects.some(nested);
      };
    }
    return fail(subPath, 'values in a pattern are always lists, e.g. ["TurnCalled"]');
  });
  return (candidate) => tests.every((test) => test(candidate));
};

/** Validates once and returns a fast predicate. Throws InvalidEventPatternError. */
export const compileEventPattern = (pattern: EventPattern): ((event: unknown) => boolean) => {
  const root = compileObject(pattern, '');
  return (event) => root(isPlainObject(event) ? event : {});
};

export const matchesEventPattern = (pattern: EventPattern, event: unknown): boolean =>
  compileEventPattern(pattern)(event);
