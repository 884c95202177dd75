import fc from 'fast-check';
import { InvalidEventPatternError } from '../../src/eventbus/errors';
import { compileEventPattern, matchesEventPattern, type EventPattern, type PatternCondition } from '../../src/eventbus/matcher';

/** 1,000 runs unless FC_RUNS says otherwise; FC_SEED replays a reported failure. */
const params = {
  numRuns: Number(process.env.FC_RUNS ?? 1000),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
};

const matches = (pattern: unknown, event: unknown) => matchesEventPattern(pattern as EventPattern, event);

// The example event of the EventBridge docs and aws/event-ruler's README.
const EC2_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

describe('event pattern matcher: EventBridge examples', () => {
  it('exact values: OR within a field, AND across fields, nested objects, event arrays intersect', () => {
    expect(matches({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { state: ['initializing', 'running'] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { state: ['initializing', 'stopped'] } }, EC2_EVENT)).toBe(false);
    expect(matches({ source: ['aws.ec2'], detail: { state: ['stopped'] } }, EC2_EVENT)).toBe(false);
    expect(matches({ resources: ['arn:other', 'arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'] }, EC2_EVENT)).toBe(true);
    expect(matches({ resources: ['arn:other'] }, EC2_EVENT)).toBe(false);
  });

  it('a field the event lacks fails the pattern', () => {
    expect(matches({ detail: { missing: ['running'] } }, EC2_EVENT)).toBe(false);
    expect(matches({ nothere: { state: ['running'] } }, EC2_EVENT)).toBe(false);
  });

  it('values are typed: strings, numbers, booleans and null never match each other', () => {
    const event = { detail: { n: 5, s: '5', t: true, st: 'true', z: null, e: '' } };
    expect(matches({ detail: { n: [5] } }, event)).toBe(true);
    expect(matches({ detail: { n: ['5'] } }, event)).toBe(false);
    expect(matches({ detail: { s: [5] } }, event)).toBe(false);
    expect(matches({ detail: { t: [true] } }, event)).toBe(true);
    expect(matches({ detail: { t: ['true'] } }, event)).toBe(false);
    expect(matches({ detail: { st: [true] } }, event)).toBe(false);
    // "Matching events on null values and empty strings": not interchangeable.
    expect(matches({ detail: { z: [null] } }, event)).toBe(true);
    expect(matches({ detail: { z: [''] } }, event)).toBe(false);
    expect(matches({ detail: { e: [''] } }, event)).toBe(true);
    expect(matches({ detail: { e: [null] } }, event)).toBe(false);
    expect(matches({ detail: { missing: [null] } }, event)).toBe(false);
  });

  it('prefix and suffix match strings only', () => {
    expect(matches({ time: [{ prefix: '2017-10-02' }] }, EC2_EVENT)).toBe(true);
    expect(matches({ time: [{ prefix: '2017-10-03' }] }, EC2_EVENT)).toBe(false);
    expect(matches({ source: [{ suffix: 'ec2' }] }, EC2_EVENT)).toBe(true);
    expect(matches({ source: [{ suffix: 'ec' }] }, EC2_EVENT)).toBe(false);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'cat.png' })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ prefix: '5' }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ suffix: '' }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ x: [{ prefix: '' }] }, { x: '' })).toBe(true);
  });

  it('anything-but: single values, lists, prefix and suffix; the field must be present', () => {
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'running' }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 301.8] }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.jpg' })).toBe(true);
    expect(matches({ FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.png' })).toBe(false);
    expect(matches({ detail: { missing: [{ 'anything-but': 'x' }] } }, EC2_EVENT)).toBe(false);
    // Any value of another type is "anything but" a string list.
    expect(matches({ detail: { 'c-count': [{ 'anything-but': ['5'] }] } }, EC2_EVENT)).toBe(true);
    // An array matches if any element is outside the list.
    expect(matches({ tags: [{ 'anything-but': ['a'] }] }, { tags: ['a', 'b'] })).toBe(true);
    expect(matches({ tags: [{ 'anything-but': ['a', 'b'] }] }, { tags: ['a', 'b'] })).toBe(false);
  });

  it('numeric ranges match numbers only', () => {
    const pattern = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
    expect(matches(pattern, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>=', 5] }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ n: [{ numeric: ['>', 0] }] }, { n: '5' })).toBe(false);
    expect(matches({ n: [{ numeric: ['>', 0] }] }, { n: [-1, 7] })).toBe(true);
  });

  it('exists: leaves only; null is present, an object or an empty array is not a leaf', () => {
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { 'e-count': [{ exists: false }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'e-count': [{ exists: true }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { z: [{ exists: true }] } }, { detail: { z: null } })).toBe(true);
    // event-ruler README: exists:false matches a field whose value is an object (not a leaf).
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, { detail: { 'c-count': { c1: 100 } } })).toBe(false);
    expect(matches({ resources: [{ exists: false }] }, { resources: [] })).toBe(true);
    // The parent object missing altogether: the leaf is absent too.
    expect(matches({ detail: { x: [{ exists: false }] } }, { source: 's' })).toBe(true);
    expect(matches({ detail: { x: [{ exists: false }], y: [1] } }, { source: 's' })).toBe(false);
  });

  it('objects inside event arrays match element by element (array-consistent)', () => {
    const event = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    const nested = { employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]] };
    expect(matches({ employees: { firstName: ['Peter'] } }, nested)).toBe(true);
  });

  it('nested data fields: detail.data.singerId in a list', () => {
    const event = { source: 'karaoke.rotation', detail: { type: 'TurnCalled', data: { singerId: 'amy', song: { title: 'x' } } } };
    expect(matches({ detail: { data: { singerId: ['bo', 'amy'] } } }, event)).toBe(true);
    expect(matches({ detail: { data: { singerId: ['bo'] } } }, event)).toBe(false);
    expect(matches({ detail: { data: { song: { title: ['x'] } } } }, event)).toBe(true);
  });

  it('refuses patterns EventBridge would refuse or this matcher does not implement, with a typed error', () => {
    const bad: unknown[] = [
      {},
      { source: 'aws.ec2' },
      { source: [] },
      { detail: {} },
      { source: [{ wildcard: 'a*' }] },
      { source: [{ cidr: '10.0.0.0/8' }] },
      { source: [{ 'equals-ignore-case': 'EC2' }] },
      { source: [{ prefix: 1 }] },
      { source: [{ prefix: 'a', suffix: 'b' }] },
      { source: [{ bogus: 1 }] },
      { source: [{ exists: 'yes' }] },
      { n: [{ numeric: ['<', 5, '>', 1] }] },
      { n: [{ numeric: ['>', 'x'] }] },
      { n: [{ numeric: ['=', 1, '<', 2] }] },
      { n: [{ 'anything-but': ['a', 1] }] },
      { n: [{ 'anything-but': [] }] },
      { n: [{ 'anything-but': { wildcard: '*' } }] },
      { $or: [{ a: ['x'] }, { b: ['y'] }] },
      { source: [['nested']] },
    ];
    for (const pattern of bad) {
      let caught: unknown;
      try {
        compileEventPattern(pattern as EventPattern);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidEventPatternError);
      expect((caught as InvalidEventPatternError).code).toBe('invalid-event-pattern');
    }
  });
});

// ---- properties ----

const str = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'abc', 'Turn', 'TurnCalled', 'é♪');
const num = fc.constantFrom(-1, 0, 1, 2.5, 100);
const literal = fc.oneof(str, num, fc.boolean(), fc.constant(null));
const numericOp = fc.constantFrom('=', '<', '<=', '>', '>=');
const condition: fc.Arbitrary<PatternCondition> = fc.oneof(
  literal,
  str.map((prefix) => ({ prefix })),
  str.map((suffix) => ({ suffix })),
  fc.oneof(
    str,
    num,
    fc.array(str, { minLength: 1, maxLength: 3 }),
    fc.array(num, { minLength: 1, maxLength: 3 }),
    str.map((prefix) => ({ prefix })),
    str.map((suffix) => ({ suffix })),
  ).map((x) => ({ 'anything-but': x }) as PatternCondition),
  fc.boolean().map((exists) => ({ exists })),
  fc.oneof(
    fc.tuple(numericOp, num).map(([op, n]) => ({ numeric: [op, n] }) as PatternCondition),
    fc.tuple(fc.constantFrom('>', '>='), num, fc.constantFrom('<', '<='), num).map((r) => ({ numeric: r }) as PatternCondition),
  ),
);
const conditions = fc.array(condition, { minLength: 1, maxLength: 3 });
/** What an event may hold at a field: absent, a leaf, an array of leaves, or an object. */
const fieldValue = fc.oneof(
  fc.constant(undefined),
  literal,
  fc.array(literal, { maxLength: 3 }),
  literal.map((x) => ({ x })),
);
const eventWith = (field: string, value: unknown) => (value === undefined ? {} : { [field]: value });

const fieldName = fc.constantFrom('a', 'b', 'c', 'd-e', 'f.g');
/** Patterns of exact values only, up to three levels deep, so an event can be built from them. */
const exactPattern: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
  node: fc.dictionary(
    fieldName,
    fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.uniqueArray(literal, { minLength: 1, maxLength: 4 }), tie('node')),
    { minKeys: 1, maxKeys: 3 },
  ),
})).node;

interface Leaf {
  readonly path: string[];
  readonly values: unknown[];
}
const leavesOf = (pattern: Record<string, unknown>, path: string[] = []): Leaf[] =>
  Object.entries(pattern).flatMap(([k, v]) => (Array.isArray(v) ? [{ path: [...path, k], values: v }] : leavesOf(v as Record<string, unknown>, [...path, k])));

/** An event holding, at every leaf, one of the pattern's values (sometimes inside an array of noise), plus noise fields. */
const eventFrom = (pattern: Record<string, unknown>, picks: number[], asArray: boolean[]): Record<string, unknown> => {
  let i = 0;
  const build = (node: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { noise: 'zz' };
    for (const [k, v] of Object.entries(node)) {
      if (Array.isArray(v)) {
        const n = i++;
        const value = v[picks[n % picks.length]! % v.length];
        out[k] = asArray[n % asArray.length] ? ['zz-noise', value] : value;
      } else out[k] = build(v as Record<string, unknown>);
    }
    return out;
  };
  return build(pattern);
};

const setAt = (event: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> => {
  const copy = structuredClone(event);
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
};

describe('event pattern matcher: properties', () => {
  const built = fc.tuple(exactPattern, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }));

  it('an event built from a pattern\'s values always matches it', () => {
    fc.assert(
      fc.property(built, ([pattern, picks, asArray]) => matches(pattern, eventFrom(pattern, picks, asArray))),
      params,
    );
  });

  it('replacing one matched field with a value outside its list, or removing it, breaks the match', () => {
    fc.assert(
      fc.property(built, fc.nat(), fc.boolean(), ([pattern, picks, asArray], which, remove) => {
        const event = eventFrom(pattern, picks, asArray);
        const leaves = leavesOf(pattern);
        const leaf = leaves[which % leaves.length]!;
        const outside = `not-${JSON.stringify(leaf.values)}`;
        return !matches(pattern, setAt(event, leaf.path, remove ? undefined : outside));
      }),
      params,
    );
  });

  it('anything-but a list is exactly the complement of the list on present string fields; both fail when absent', () => {
    fc.assert(
      fc.property(fc.array(str, { minLength: 1, maxLength: 3 }), fc.option(str, { nil: undefined }), (list, value) => {
        const but = matches({ f: [{ 'anything-but': list }] }, eventWith('f', value));
        const exact = matches({ f: list }, eventWith('f', value));
        return value === undefined ? !but && !exact : but === !exact;
      }),
      params,
    );
  });

  it('prefix p matches iff the value starts with p; suffix s iff it ends with s; anything-but prefix is the complement', () => {
    fc.assert(
      fc.property(str, str, (p, value) => {
        const event = { f: value };
        return (
          matches({ f: [{ prefix: p }] }, event) === value.startsWith(p) &&
          matches({ f: [{ suffix: p }] }, event) === value.endsWith(p) &&
          matches({ f: [{ 'anything-but': { prefix: p } }] }, event) === !value.startsWith(p)
        );
      }),
      params,
    );
  });

  it('numeric ranges agree with plain comparisons, for numbers only', () => {
    fc.assert(
      fc.property(num, num, fc.oneof(num, str, fc.boolean()), (lo, hi, v) => {
        const m = matches({ f: [{ numeric: ['>=', lo, '<', hi] }] }, { f: v });
        return m === (typeof v === 'number' && lo <= v && v < hi);
      }),
      params,
    );
  });

  it('exists:true and exists:false are complements on any field value', () => {
    fc.assert(
      fc.property(fieldValue, (value) => {
        const event = eventWith('f', value);
        return matches({ f: [{ exists: true }] }, event) !== matches({ f: [{ exists: false }] }, event);
      }),
      params,
    );
  });

  it('AND across fields: a two-field pattern matches iff both one-field patterns match', () => {
    fc.assert(
      fc.property(conditions, conditions, fieldValue, fieldValue, (ca, cb, va, vb) => {
        const event = { ...eventWith('a', va), ...eventWith('b', vb) };
        return matches({ a: ca, b: cb }, event) === (matches({ a: ca }, event) && matches({ b: cb }, event));
      }),
      params,
    );
  });

  it('OR within a field: a list matches iff one of its conditions alone matches', () => {
    fc.assert(
      fc.property(conditions, conditions, fieldValue, (c1, c2, value) => {
        const event = eventWith('f', value);
        return matches({ f: [...c1, ...c2] }, event) === [...c1, ...c2].some((c) => matches({ f: [c] }, event));
      }),
      params,
    );
  });

  it('an event array matches iff one of its elements alone would', () => {
    fc.assert(
      fc.property(conditions, fc.array(literal, { minLength: 1, maxLength: 4 }), (cs, values) => {
        // exists looks at the field as a whole (present iff the array has a leaf), not per element.
        fc.pre(!cs.some((c) => typeof c === 'object' && c !== null && 'exists' in c));
        return matches({ f: cs }, { f: values }) === values.some((v) => matches({ f: cs }, { f: v }));
      }),
      params,
    );
  });
});
