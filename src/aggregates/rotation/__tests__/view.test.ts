import { alertsForCalledTurn, event, queueView } from '..';
import { called, completed, joined, opened, queued, started } from '../../../../test/support/rotationEvents';
import { given, T0 } from '../../../../test/support/rotationSpec';

const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('queue view', () => {
  it('before anyone is called: upcoming in join order, default average per turn ahead', () => {
    const { state } = given(opened(), joined('amy'), joined('bo'), joined('cy'));
    const view = queueView(state, { version: 4, now: T0 });
    expect(view.current).toBeNull();
    expect(view.upcoming.map((u) => [u.singerId, u.turnsAway, u.estimatedWaitSeconds])).toEqual([
      ['amy', 1, 0],
      ['bo', 2, 240],
      ['cy', 3, 480],
    ]);
    expect(view).toMatchObject({ rotationId: 'r1', venue: 'The Blue Room', status: 'open', version: 4 });
  });

  it('a skipping singer is further away than their slot suggests and adds nothing to others', () => {
    const { state } = given(opened(), joined('amy'), joined('bo'), joined('cy'), queued('cy', 'cy-s2'), event('SkipRequested', { singerId: 'amy' }));
    const view = queueView(state, { version: 5, now: T0 });
    // amy is first in the circle, but the first call passes her over (using her skip): bo, cy, then amy.
    expect(view.upcoming.map((u) => [u.singerId, u.turnsAway])).toEqual([['bo', 1], ['cy', 2], ['amy', 3]]);
  });

  it('away and song-less singers are not upcoming and add nothing', () => {
    const { state } = given(opened(), joined('amy'), joined('bo'), joined('cy'), event('SingerWentAway', { singerId: 'amy', reason: 'requested' }), event('SongWithdrawn', { singerId: 'bo', songId: 'bo-s1' }));
    const view = queueView(state, { version: 6, now: T0 });
    expect(view.upcoming.map((u) => [u.singerId, u.turnsAway, u.estimatedWaitSeconds])).toEqual([['cy', 1, 0]]);
    expect(view.singers.map((s) => [s.singerId, s.status, s.pendingSongs])).toEqual([['amy', 'away', 1], ['bo', 'active', 0], ['cy', 'active', 1]]);
  });

  it('counts the open turn remaining time and this rotation average performance', () => {
    const { state } = given(
      opened(), joined('amy'), joined('bo'), joined('cy'), queued('amy', 'amy-s2'),
      called('t1', 'amy'), started('t1', 'amy', T0), completed('t1', 'amy', 'amy-s1', 200),
      called('t2', 'bo'), started('t2', 'bo', at(300)),
    );
    const view = queueView(state, { version: 10, now: at(350) });
    expect(view.current).toMatchObject({ turnId: 't2', singerId: 'bo', displayName: 'BO', state: 'performing' });
    // average 200 s; bo has 150 s left; cy next, then amy's second song.
    expect(view.upcoming.map((u) => [u.singerId, u.turnsAway, u.estimatedWaitSeconds])).toEqual([['cy', 1, 150], ['amy', 2, 350]]);
    expect(view.singers.map((s) => s.singerId)).toEqual(['cy', 'amy', 'bo']);
  });

  it('an overrunning performance leaves no negative remaining time', () => {
    const { state } = given(opened(), joined('amy'), joined('bo'), called('t1', 'amy'), started('t1', 'amy', T0));
    expect(queueView(state, { version: 5, now: at(9999) }).upcoming[0]!.estimatedWaitSeconds).toBe(0);
  });
});

describe('alerts on a call', () => {
  it('the called singer is up now; the singer alertAheadTurns away is told', () => {
    const { state } = given(opened({ alertAheadTurns: 2 }), joined('amy'), joined('bo'), joined('cy'), called('t1', 'amy'));
    expect(alertsForCalledTurn(state)).toEqual([
      { singerId: 'amy', kind: 'up-now', turnsAway: 0 },
      { singerId: 'cy', kind: 'turns-away', turnsAway: 2 },
    ]);
  });
  it('at most one alert per singer per turn, even when the called singer is also N turns away', () => {
    const { state } = given(opened({ alertAheadTurns: 1 }), joined('amy'), queued('amy', 'amy-s2'), called('t1', 'amy'));
    expect(alertsForCalledTurn(state)).toEqual([{ singerId: 'amy', kind: 'up-now', turnsAway: 0 }]);
  });
  it('alertAheadTurns 0 alerts only the called singer', () => {
    const { state } = given(opened({ alertAheadTurns: 0 }), joined('amy'), joined('bo'), called('t1', 'amy'));
    expect(alertsForCalledTurn(state)).toHaveLength(1);
  });
});
