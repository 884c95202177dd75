import { MAX_PUT_EVENTS_BYTES } from '../../src/eventbus/busEvent';
import { TURN_CALLED_PATTERN } from '../../src/eventbus/constants';
import { EventTooLargeError, InvalidEventPatternError } from '../../src/eventbus/errors';
import { createLocalBus, type DeadLetter, type LocalBusOptions } from '../../src/eventbus/localBus';
import type { EventBridgeEnvelope } from '../../src/eventbus/busEvent';
import type { EventPattern } from '../../src/eventbus/matcher';
import { commitsFor, expectedDetail } from './commits';

const song = { title: 'Song', artist: 'Artist' };
const calledData = (turnId: string, singerId: string) => ({ turnId, singerId, songId: `${singerId}-s1`, song, calledAt: '2025-01-01T20:00:00.000Z', skipsUsed: [] });

const busFor = (options: LocalBusOptions = {}) => {
  let n = 0;
  const onDeadLetter = jest.fn((_: DeadLetter) => {});
  const sleep = jest.fn(async (_ms: number) => {});
  const bus = createLocalBus({
    newId: () => `evt-${++n}`,
    now: () => new Date('2025-01-01T21:00:00.000Z'),
    retry: { sleep, random: () => 0 },
    onDeadLetter,
    ...options,
  });
  return { bus, onDeadLetter, sleep };
};

const ANY_ROTATION_EVENT: EventPattern = { source: ['karaoke.rotation'] };

describe('local event bus', () => {
  it('delivers exactly the TurnCalled events to a TURN_CALLED_PATTERN rule, in the EventBridge envelope', async () => {
    const { bus } = busFor();
    const received: EventBridgeEnvelope[] = [];
    bus.addRule({ name: 'turn-workflow', pattern: TURN_CALLED_PATTERN, target: async (e) => void received.push(e) });

    const commits = commitsFor('r1', [
      [{ type: 'SingerJoined', data: { singerId: 'amy' } }],
      [{ type: 'TurnCalled', data: calledData('t1', 'amy') }],
      [{ type: 'TurnStarted', data: { turnId: 't1', singerId: 'amy', startedAt: 'x' } }, { type: 'TurnCompleted', data: { turnId: 't1' } }],
      [{ type: 'TurnCalled', data: calledData('t2', 'bo') }],
    ]);
    await bus.publish(commits);
    await bus.drain();

    expect(received).toEqual([
      {
        version: '0',
        id: 'evt-2',
        'detail-type': 'TurnCalled',
        source: 'karaoke.rotation',
        account: 'local',
        time: '2025-01-01T20:02:07Z',
        region: 'local',
        resources: [],
        detail: expectedDetail(commits[1]!, 0, 'r1'),
      },
      {
        version: '0',
        id: 'evt-5',
        'detail-type': 'TurnCalled',
        source: 'karaoke.rotation',
        account: 'local',
        time: '2025-01-01T20:04:07Z',
        region: 'local',
        resources: [],
        detail: expectedDetail(commits[3]!, 0, 'r1'),
      },
    ]);
    expect(received[0]!.detail).toEqual({
      rotationId: 'r1',
      streamId: 'rotation#r1',
      version: 2,
      seq: 2,
      type: 'TurnCalled',
      schemaVersion: 1,
      data: calledData('t1', 'amy'),
      actor: { id: 'kj-1', role: 'kj' },
      at: '2025-01-01T20:02:07.250Z',
    });
    expect(bus.deadLetters()).toEqual([]);
  });

  it('runs one rotation\'s targets in publish order even when earlier deliveries are slower', async () => {
    const { bus } = busFor();
    const seen: string[] = [];
    bus.addRule({
      name: 'slow-first',
      pattern: ANY_ROTATION_EVENT,
      target: async (e) => {
        // Earlier events take longer: without ordering they would finish last.
        await new Promise((r) => setTimeout(r, 20 - e.detail.seq * 4));
        seen.push(`${e.detail.rotationId}:${e.detail.seq}`);
      },
    });
    const events = (n: number) => Array.from({ length: n }, (_, i) => [{ type: 'SongQueued', data: { i } }]);
    await bus.publish(commitsFor('r1', events(2)));
    await bus.publish(commitsFor('r1', events(2), { firstVersion: 3, firstSeq: 3 }));
    await bus.publish(commitsFor('r2', events(3)));
    await bus.drain();
    expect(seen.filter((s) => s.startsWith('r1:'))).toEqual(['r1:1', 'r1:2', 'r1:3', 'r1:4']);
    expect(seen.filter((s) => s.startsWith('r2:'))).toEqual(['r2:1', 'r2:2', 'r2:3']);
  });

  it('retries a failing target, then records a dead letter and tells onDeadLetter; later events still flow', async () => {
    const { bus, onDeadLetter, sleep } = busFor();
    const attempts: number[] = [];
    bus.addRule({
      name: 'broken',
      pattern: TURN_CALLED_PATTERN,
      target: async (e) => {
        attempts.push(e.detail.seq);
        if (e.detail.seq === 1) throw Object.assign(new Error('workflow down'), { code: 'sfn-unavailable' });
      },
    });
    await bus.publish(commitsFor('r1', [[{ type: 'TurnCalled', data: calledData('t1', 'amy') }], [{ type: 'TurnCalled', data: calledData('t2', 'bo') }]]));
    await bus.drain();

    expect(attempts).toEqual([1, 1, 1, 2]);
    expect(sleep).toHaveBeenCalledTimes(2);
    const letters = bus.deadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      rule: 'broken',
      attempts: 3,
      error: { name: 'Error', message: 'workflow down', code: 'sfn-unavailable' },
      failedAt: '2025-01-01T21:00:00.000Z',
      event: { id: 'evt-1', 'detail-type': 'TurnCalled', detail: { seq: 1, rotationId: 'r1' } },
    });
    expect(onDeadLetter).toHaveBeenCalledWith(letters[0]);
  });

  it('a target that fails once and then succeeds is not dead-lettered', async () => {
    const { bus } = busFor();
    let calls = 0;
    bus.addRule({ name: 'flaky', pattern: ANY_ROTATION_EVENT, target: async () => { if (++calls === 1) throw new Error('once'); } });
    await bus.publish(commitsFor('r1', [[{ type: 'SongQueued', data: {} }]]));
    await bus.drain();
    expect(calls).toBe(2);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('gives each target its own copy of the event', async () => {
    const { bus } = busFor();
    const seen: unknown[] = [];
    bus.addRule({ name: 'mutator', pattern: ANY_ROTATION_EVENT, target: async (e) => void ((e.detail as { type: string }).type = 'changed') });
    bus.addRule({ name: 'reader', pattern: ANY_ROTATION_EVENT, target: async (e) => void seen.push(e.detail.type) });
    await bus.publish(commitsFor('r1', [[{ type: 'SongQueued', data: {} }]]));
    await bus.drain();
    expect(seen).toEqual(['SongQueued']);
  });

  it('refuses a bad pattern or a duplicate rule name when the rule is added', () => {
    const { bus } = busFor();
    expect(() => bus.addRule({ name: 'bad', pattern: { source: 'x' } as unknown as EventPattern, target: async () => {} })).toThrow(InvalidEventPatternError);
    bus.addRule({ name: 'one', pattern: TURN_CALLED_PATTERN, target: async () => {} });
    expect(() => bus.addRule({ name: 'one', pattern: TURN_CALLED_PATTERN, target: async () => {} })).toThrow(/already exists/);
  });

  it('refuses an event EventBridge would refuse (over 256 KB) and delivers none of that publish', async () => {
    const { bus } = busFor();
    const target = jest.fn(async () => {});
    bus.addRule({ name: 'all', pattern: ANY_ROTATION_EVENT, target });
    const commits = commitsFor('r1', [[{ type: 'SongQueued', data: {} }], [{ type: 'SongQueued', data: { blob: 'x'.repeat(MAX_PUT_EVENTS_BYTES) } }]]);
    await expect(bus.publish(commits)).rejects.toBeInstanceOf(EventTooLargeError);
    await bus.drain();
    expect(target).not.toHaveBeenCalled();
  });
});
