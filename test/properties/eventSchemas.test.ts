import fc from 'fast-check';
import { ROTATION_EVENT_SCHEMA_VERSION, ROTATION_EVENT_TYPES } from '../../src/aggregates/rotation';
import { assertEventMatchesSchema, loadSchemaFiles } from '../support/eventSchemas';
import { nightActions, nightSettings, playNight } from './support/night';

describe('event schemas (events/schemas/)', () => {
  const files = loadSchemaFiles();

  it('every event type has a schema at the current version, and every schema names an event type', () => {
    expect(files.map((f) => f.type).sort()).toEqual([...ROTATION_EVENT_TYPES].sort());
    for (const f of files) expect(f.version).toBe(ROTATION_EVENT_SCHEMA_VERSION);
  });

  it('are draft-04, the dialect the EventBridge schema registry takes', () => {
    for (const f of files) expect(f.schema).toMatchObject({ $schema: 'http://json-schema.org/draft-04/schema#', title: f.type });
  });

  it('every event emitted over many random nights matches its schema, and every schema is used', () => {
    const seen = new Set<string>();
    const nights = fc.sample(fc.tuple(nightSettings, nightActions({ overrides: true })), { numRuns: 300, seed: 20261122 });
    for (const [settings, actions] of nights) {
      const night = playNight(settings, [...actions, { kind: 'close' }]);
      for (const e of night.events) {
        assertEventMatchesSchema(e);
        seen.add(e.type);
      }
    }
    expect([...seen].sort()).toEqual([...ROTATION_EVENT_TYPES].sort());
  });
});
