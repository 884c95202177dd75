import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { fold } from '../../src/aggregates/decider';
import { queueView, rotationDecider, type RotationState } from '../../src/aggregates/rotation';
import { nightActions, nightSettings, playNight, propertyParameters, SINGER_POOL } from './support/night';

/**
 * evolve is built for speed (fresh objects written out field by field, records copied once per step), so
 * these properties pin down what that must not cost: its inputs are never written to, and singer ids that
 * are names of Object.prototype's members are ordinary keys.
 */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
};

/** JSON, not structuredClone: under jest that builds objects of another realm, which isDeepStrictEqual tells apart. */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const nights = fc.tuple(nightSettings, nightActions({ overrides: true })).map(([settings, actions]) =>
  // Only the events: a counterexample then prints short.
  playNight(settings, [...actions, { kind: 'close' }]).events,
);

const fail = (message: string) => {
  throw new Error(message);
};

describe('evolve and fold are pure', () => {
  // Test files are strict mode, but the writes would happen in src/: freezing makes them throw there too
  // (every module is compiled strict), and the snapshot comparison catches anything a frozen object lets by.
  it('property: evolve never writes to the state or the event it is given, nor the queue view to the state', () => {
    fc.assert(
      fc.property(nights, (events) => {
        const frozenEvents = deepFreeze(clone(events));
        let state: RotationState = deepFreeze(clone(rotationDecider.initialState));
        for (const event of frozenEvents) {
          const before = JSON.stringify(state);
          // The view simulates calls with a replay that writes into records it copied: never into this state's.
          queueView(state, { version: 0, now: '2026-11-22T03:00:00.000Z' });
          const next = rotationDecider.evolve(state, event);
          if (JSON.stringify(state) !== before) fail(`${event.type} or the queue view changed the state it was given`);
          state = deepFreeze(next);
        }
        if (!isDeepStrictEqual(frozenEvents, events)) fail('an event was changed');
        if (!isDeepStrictEqual(state, fold(rotationDecider, events))) fail('evolving frozen states gave another state');
      }),
      propertyParameters(),
    );
  });

  it('property: a fold never writes to the state it starts from, the events, or a state it returned earlier', () => {
    fc.assert(
      fc.property(nights, fc.nat(), (events, cut) => {
        const at = events.length === 0 ? 0 : cut % events.length;
        const frozenEvents = deepFreeze(clone(events));
        const first = deepFreeze(fold(rotationDecider, frozenEvents.slice(0, at)));
        const snapshot = clone(first);
        const last = fold(rotationDecider, frozenEvents.slice(at), first);
        if (!isDeepStrictEqual(first, snapshot)) fail('the fold changed the state it started from');
        if (!isDeepStrictEqual(last, fold(rotationDecider, events))) fail('a fold in two parts differs from one fold');
      }),
      propertyParameters(),
    );
  });
});

/** Names a KJ may give a singer that are also members of every plain object (API ids exclude `__proto__`; the domain does not). */
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString', '__defineGetter__'];

/** JSON text with every pool name (as a whole string: ids, display names, record keys) swapped for its hostile one. */
const renamed = (json: string) => json.replace(/"([a-z]+)"/g, (quoted, name: string) => {
  const at = SINGER_POOL.indexOf(name);
  return at < 0 ? quoted : JSON.stringify(HOSTILE[at]);
});

describe('hostile singer ids', () => {
  it('property: a night of singers named __proto__, constructor, toString … is the same night, renamed', () => {
    expect(HOSTILE).toHaveLength(SINGER_POOL.length);
    fc.assert(
      fc.property(nightSettings, nightActions({ overrides: true }), (settings, actions) => {
        const ordinary = playNight(settings, [...actions, { kind: 'close' }]);
        const hostile = playNight(settings, [...actions, { kind: 'close' }], HOSTILE);
        hostile.steps.forEach((step, i) => {
          if (step.rejected !== ordinary.steps[i]!.rejected) fail(`step ${i} (${step.command.type}) rejected: ${step.rejected}`);
        });
        if (JSON.stringify(hostile.events) !== renamed(JSON.stringify(ordinary.events))) fail('the events differ');
        // An id written through the `__proto__` setter would be missing here (not an own key), and the record's prototype changed.
        if (JSON.stringify(hostile.state) !== renamed(JSON.stringify(ordinary.state))) fail('the states differ');
        for (const record of [hostile.state.singers, hostile.state.calledTonight]) {
          if (Object.getPrototypeOf(record) !== Object.prototype) fail('a record lost its prototype');
        }
      }),
      propertyParameters(),
    );
  });
});
