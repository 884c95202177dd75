import fc from 'fast-check';
import { EVENT_SCHEMAS, eventProblem, compileSchema } from '../../src/eventstore/eventSchemas';
import { ajvAccepts, loadSchemaFiles } from '../support/eventSchemas';
import { nightActions, nightSettings, playNight } from '../properties/support/night';

/** The engine's own event checker (src/eventstore/eventSchemas.ts) against a full draft-04 validator. */
describe('the event checker', () => {
  const stored = fc
    .sample(fc.tuple(nightSettings, nightActions({ overrides: true })), { numRuns: 40, seed: 20261202 })
    .flatMap(([settings, actions]) => playNight(settings, [...actions, { kind: 'close' }]).events)
    .map((e, i) => JSON.parse(JSON.stringify({ seq: i + 1, type: e.type, schemaVersion: 1, data: e.data })) as Record<string, unknown>);

  it('holds every schema file of events/schemas, and nothing else', () => {
    expect([...EVENT_SCHEMAS.keys()].sort()).toEqual(loadSchemaFiles().map((f) => `${f.type}.v${f.version}`).sort());
    for (const f of loadSchemaFiles()) expect(EVENT_SCHEMAS.get(`${f.type}.v${f.version}`)).toEqual(f.schema);
  });

  it('accepts every event of many random nights', () => {
    expect(stored.length).toBeGreaterThan(500);
    expect(stored.map((e) => eventProblem(e as never)).filter((p) => p !== null)).toEqual([]);
  });

  it('agrees with ajv (draft-04) on events with one part changed: a field removed, added, or set to another value', () => {
    const hostileNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'extra'];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ maxLength: 3 }),
      fc.string({ minLength: 126, maxLength: 260 }),
      fc.integer({ min: -20, max: 600 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom('', 'constructor', '2026-12-02T20:00:00Z', '2026-12-02 20:00', 'fair', 'back', 'no-show', '\u{1F3A4}'.repeat(129)),
    );
    const mutation = fc.record({
      event: fc.constantFrom(...stored),
      path: fc.array(fc.nat(), { maxLength: 4 }),
      change: fc.oneof(
        fc.record({ kind: fc.constant('set' as const), value }),
        fc.record({ kind: fc.constant('remove' as const) }),
        fc.record({ kind: fc.constant('add' as const), name: fc.constantFrom(...hostileNames), value }),
      ),
    });
    fc.assert(
      fc.property(mutation, ({ event, path, change }) => {
        const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
        // Walk down existing fields by index, then change the one reached.
        let parent: Record<string, unknown> = copy;
        let key = Object.keys(copy)[(path[0] ?? 0) % Object.keys(copy).length]!;
        for (const step of path.slice(1)) {
          const child = parent[key];
          if (typeof child !== 'object' || child === null) break;
          const keys = Object.keys(child);
          if (keys.length === 0) break;
          parent = child as Record<string, unknown>;
          key = keys[step % keys.length]!;
        }
        if (change.kind === 'set') parent[key] = change.value;
        if (change.kind === 'remove') delete parent[key];
        if (change.kind === 'add') Object.defineProperty(parent, change.name, { value: change.value, enumerable: true, configurable: true, writable: true });
        const asStored = JSON.parse(JSON.stringify(copy)) as Record<string, unknown>;
        expect({ accepted: eventProblem(asStored as never) === null, event: asStored }).toEqual({ accepted: ajvAccepts(asStored as never), event: asStored });
      }),
      { numRuns: 3_000, seed: 11 },
    );
  });

  it('refuses to load a schema with a keyword it does not check', () => {
    expect(() => compileSchema({ type: 'object', oneOf: [] } as never)).toThrow(/oneOf/);
  });
});
