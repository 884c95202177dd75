import { fold, isRejection } from '../../src/aggregates/decider';
import { initialRotationState, rotationDecider, type RotationCommand } from '../../src/aggregates/rotation';
import { createHotQueueViews, renderQueueView, renderQueueViewJson } from '../../src/projections/hotQueueViews';

const held = (version: number) => ({ state: { ...initialRotationState, status: 'open' as const, rotationId: 'r', venue: `v${version}` }, version, headHash: `h${version}` });

describe('hot queue views', () => {
  it('keep the newest state per rotation: a late older one changes nothing', () => {
    const hot = createHotQueueViews();
    hot.set('r', held(3));
    hot.set('r', held(2));
    expect(hot.get('r')?.version).toBe(3);
    hot.set('r', held(4));
    expect(renderQueueView(hot.get('r')!, '2026-12-02T10:00:00.000Z')).toMatchObject({ version: 4, venue: 'v4', headHash: 'h4' });
  });

  it('hold at most maxRotations, the least recently used dropped first', () => {
    const hot = createHotQueueViews({ maxRotations: 2 });
    hot.set('a', held(1));
    hot.set('b', held(1));
    hot.get('a'); // a is now the most recently used
    hot.set('c', held(1));
    expect([hot.get('a'), hot.get('b'), hot.get('c')].map((v) => v !== undefined)).toEqual([true, false, true]);
    // A pinned rotation (its newest view not yet in the table) is never the one dropped.
    hot.pin('a');
    hot.set('d', held(1));
    hot.set('e', held(1));
    expect(['a', 'c', 'd', 'e'].map((r) => hot.get(r) !== undefined)).toEqual([true, false, false, true]);
  });
});

/** A night with a turn on stage since 10:00:00.400 and two singers waiting behind it. */
const onStage = () => {
  const kj = { id: 'kj', role: 'kj' as const };
  const commands = [
    { type: 'OpenRotation', rotationId: 'r', venue: 'v', settings: { autoAdvance: false }, actor: kj, at: '2026-12-02T09:00:00.000Z' },
    ...['amy', 'bo', 'cy'].map((id) => ({ type: 'JoinRotation', singerId: id, displayName: id, songId: `${id}-1`, song: { title: `${id} song`, artist: 'x' }, actor: { id, role: 'singer' as const }, at: '2026-12-02T09:01:00.000Z' })),
    { type: 'CallNext', turnId: 't1', actor: kj, at: '2026-12-02T09:59:00.000Z' },
    { type: 'StartTurn', turnId: 't1', actor: kj, at: '2026-12-02T10:00:00.400Z' },
  ] as RotationCommand[];
  return commands.reduce((state, command) => {
    const events = rotationDecider.decide(command, state);
    if (isRejection(events)) throw new Error(events.message);
    return fold(rotationDecider, events, state);
  }, rotationDecider.initialState);
};

describe('the JSON of a held view', () => {
  it('is the rendered view at every time, also while a turn runs (its waits count down each second)', () => {
    const view = { state: onStage(), version: 7, headHash: 'h7' };
    expect(renderQueueView(view, '2026-12-02T10:00:00.000Z').upcoming).toHaveLength(2);
    for (const ms of [0, 300, 500, 1_399, 1_400, 2_000, 65_000, 10_000_000]) {
      const now = new Date(Date.parse('2026-12-02T10:00:00.000Z') + ms).toISOString();
      expect(renderQueueViewJson(view, now)).toBe(JSON.stringify(renderQueueView(view, now)));
    }
    expect(renderQueueViewJson(held(3), '2026-12-02T10:00:00.000Z')).toBe(JSON.stringify(renderQueueView(held(3), '2026-12-02T11:00:00.000Z')));
  });
});
