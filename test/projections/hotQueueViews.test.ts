import { initialRotationState } from '../../src/aggregates/rotation';
import { createHotQueueViews, renderQueueView } from '../../src/projections/hotQueueViews';

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
  });
});
