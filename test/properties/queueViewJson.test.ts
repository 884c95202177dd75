import fc from 'fast-check';
import type { RotationState } from '../../src/aggregates/rotation';
import { renderQueueView, type HotQueueView } from '../../src/projections/hotQueueViews';
import { TEMPLATE_MARKERS, queueViewJson } from '../../src/projections/queueViewJson';
import { nightActions, nightSettings, playNight, propertyParameters } from './support/night';

/** Singer names (a night uses up to 8): the ones to try, each pool one run of the property. */
const POOLS = {
  'names JSON must escape, and keys a plain object would take from its prototype': ['amy', 'constructor', '__proto__', 'bo "the voice"', 'zoë ✓', 'back\\slash', 'tab\there', 'hal'],
  // The builder cuts its templates where a key ends in `":<marker>`; a name may hold that text (escaped).
  'names holding the text the builder cuts its templates at': [
    'amy',
    'bo',
    'cy',
    'dee',
    ...TEMPLATE_MARKERS.map((marker, i) => (i % 2 ? `y\\":${marker}` : `x":${marker}`)),
  ],
};

const times = (state: RotationState) => {
  const base = Date.parse(state.currentTurn?.startedAt ?? state.currentTurn?.calledAt ?? '2026-11-21T20:00:00.000Z');
  return [0, 999, 45_000, 3_600_000, -5_000].map((ms) => new Date(base + ms).toISOString());
};

describe('the queue view JSON built from pieces', () => {
  it.each(Object.entries(POOLS))('property: is exactly JSON.stringify of the rendered view, at every step of a night and at any time (%s)', (_, pool) => {
    fc.assert(
      fc.property(nightSettings, nightActions({ overrides: true }), fc.boolean(), (settings, actions, extras) => {
        const night = playNight(settings, [...actions, { kind: 'close' }], pool);
        night.steps.forEach((step, version) => {
          // Join codes and songbook-only nights change the head of the view; the generator opens neither.
          const state: RotationState = extras
            ? { ...step.after, joinCode: 'K7QX', settings: { ...step.after.settings, songsFromBookOnly: true } }
            : step.after;
          const held: HotQueueView = version % 3 === 0 ? { state, version } : { state, version, headHash: `hash-${version}` };
          for (const now of times(state)) {
            const expected = JSON.stringify(renderQueueView(held, now));
            const actual = queueViewJson(held, now);
            if (actual !== expected) throw new Error(`step ${version} at ${now}:\n${actual}\n≠\n${expected}`);
          }
        });
      }),
      { ...propertyParameters(), numRuns: Math.min(300, propertyParameters().numRuns ?? 300) },
    );
  });
});
