import { ROTATION_EVENT_TYPES } from '../../src/aggregates/rotation/events';
import { busEventsOf } from '../../src/eventbus/busEvent';
import {
  DEFAULT_EVENT_BUS_NAME,
  EVENT_SOURCE,
  ROTATION_MAY_ADVANCE_PATTERN,
  TURN_CALLED_PATTERN,
  TURN_ENDED_PATTERN,
  TURN_STARTED_PATTERN,
  detailTypeFor,
  eventBusName,
} from '../../src/eventbus/constants';
import { toEnvelope } from '../../src/eventbus/localBus';
import { matchesEventPattern, type EventPattern } from '../../src/eventbus/matcher';
import { commitsFor } from './commits';

/** One delivered envelope per domain event type, as a target would receive it. */
const envelopes = busEventsOf(commitsFor('r1', ROTATION_EVENT_TYPES.map((type) => [{ type, data: { singerId: 'amy' } }]))).map(
  (e, i) => toEnvelope(e, `id-${i}`),
);
const typesMatching = (pattern: EventPattern) =>
  envelopes.filter((e) => matchesEventPattern(pattern, e)).map((e) => e['detail-type']);

describe('rule patterns', () => {
  it('TURN_CALLED_PATTERN selects exactly TurnCalled', () => {
    expect(typesMatching(TURN_CALLED_PATTERN)).toEqual(['TurnCalled']);
  });

  it('ROTATION_MAY_ADVANCE_PATTERN selects exactly the events that can make an idle rotation callable', () => {
    expect(typesMatching(ROTATION_MAY_ADVANCE_PATTERN)).toEqual(['SingerJoined', 'SongQueued', 'SingerCameBack']);
  });

  it('TURN_ENDED_PATTERN selects exactly the events that end a turn (a new Turn* type must be decided on)', () => {
    expect(typesMatching(TURN_ENDED_PATTERN)).toEqual(['TurnCompleted', 'TurnForfeited', 'TurnSkipped']);
  });

  it('TURN_STARTED_PATTERN selects exactly TurnStarted', () => {
    expect(typesMatching(TURN_STARTED_PATTERN)).toEqual(['TurnStarted']);
  });

  it('no pattern matches the same detail-type from another source', () => {
    for (const pattern of [TURN_CALLED_PATTERN, TURN_STARTED_PATTERN, ROTATION_MAY_ADVANCE_PATTERN, TURN_ENDED_PATTERN]) {
      expect(envelopes.filter((e) => matchesEventPattern(pattern, { ...e, source: 'someone.else' }))).toEqual([]);
    }
  });

  it('names: source, detail-type = event type, bus name from env or default', () => {
    expect(EVENT_SOURCE).toBe('karaoke.rotation');
    expect(detailTypeFor('TurnCalled')).toBe('TurnCalled');
    expect(eventBusName({})).toBe(DEFAULT_EVENT_BUS_NAME);
    expect(DEFAULT_EVENT_BUS_NAME).toBe('karaoke-rotation');
    expect(eventBusName({ EVENT_BUS_NAME: 'prod-bus' })).toBe('prod-bus');
  });
});
