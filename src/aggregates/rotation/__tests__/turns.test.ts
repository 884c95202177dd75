import { event } from '..';
import { called, completed, joined, opened, queued, started } from '../../../../test/support/rotationEvents';
import { given, singer, SYSTEM, T0 } from '../../../../test/support/rotationSpec';

const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const forfeited = (turnId: string, singerId: string, reason: 'no-show' | 'left' | 'removed' | 'closed' = 'no-show') =>
  event('TurnForfeited', { turnId, singerId, songId: `${singerId}-s1`, reason });

describe('start', () => {
  it('moves a called turn to performing', () => {
    given(opened(), joined('amy'), called('t1', 'amy')).when({ type: 'StartTurn', turnId: 't1', at: at(30) }).then(started('t1', 'amy', at(30)));
  });
  it('starting a performing turn again changes nothing', () => {
    given(opened(), joined('amy'), called('t1', 'amy'), started('t1', 'amy')).when({ type: 'StartTurn', turnId: 't1' }).then();
  });
  it('rejects a turn that is not open', () => {
    given(opened(), joined('amy'), called('t1', 'amy')).when({ type: 'StartTurn', turnId: 't9' }).thenRejects('turn-not-open');
    given(opened(), joined('amy')).when({ type: 'StartTurn', turnId: 't1' }).thenRejects('turn-not-open');
  });
});

describe('complete', () => {
  it('records the performance with its duration from the start', () => {
    given(opened(), joined('amy'), called('t1', 'amy'), started('t1', 'amy', at(30)))
      .when({ type: 'CompleteTurn', turnId: 't1', at: at(250) })
      .then(
        event('TurnCompleted', {
          turnId: 't1', singerId: 'amy', songId: 'amy-s1', song: { title: 'amy-s1', artist: 'amy-s1 artist' },
          startedAt: at(30), completedAt: at(250), durationSeconds: 220,
        }),
      );
  });
  it('the KJ may complete a turn that never started; it is timed from the call', () => {
    const { result } = given(opened(), joined('amy'), called('t1', 'amy')).when({ type: 'CompleteTurn', turnId: 't1', at: at(90) });
    expect(result).toMatchObject([{ type: 'TurnCompleted', data: { startedAt: T0, durationSeconds: 90 } }]);
  });
});

describe('forfeit (no-show)', () => {
  it('gives the song back first and counts a no-show', () => {
    const state = given(opened(), joined('amy'), queued('amy', 'amy-s2'), called('t1', 'amy'))
      .when({ type: 'ForfeitTurn', turnId: 't1', actor: SYSTEM })
      .then(forfeited('t1', 'amy'));
    expect(state.singers.amy!.songs.map((s) => s.songId)).toEqual(['amy-s1', 'amy-s2']);
    expect(state.singers.amy!.consecutiveNoShows).toBe(1);
    expect(state.singers.amy!.turnsCompleted).toBe(0);
    expect(state.currentTurn).toBeNull();
  });
  it('after maxNoShows in a row the singer is set away, never removed', () => {
    const state = given(opened({ maxNoShows: 2 }), joined('amy'), joined('bo'), called('t1', 'amy'), forfeited('t1', 'amy'), called('t2', 'bo'), completed('t2', 'bo'), called('t3', 'amy'))
      .when({ type: 'ForfeitTurn', turnId: 't3', actor: SYSTEM })
      .then(forfeited('t3', 'amy'), event('SingerWentAway', { singerId: 'amy', reason: 'no-shows' }));
    expect(state.order).toContain('amy');
    expect(state.singers.amy!.status).toBe('away');
  });
  it('a completed turn in between breaks the streak', () => {
    given(opened({ maxNoShows: 2 }), joined('amy'), queued('amy', 'amy-s2'), called('t1', 'amy'), forfeited('t1', 'amy'), called('t2', 'amy'), completed('t2', 'amy'), called('t3', 'amy', 'amy-s2'))
      .when({ type: 'ForfeitTurn', turnId: 't3' })
      .then(event('TurnForfeited', { turnId: 't3', singerId: 'amy', songId: 'amy-s2', reason: 'no-show' }));
  });
  it('coming back starts the streak over', () => {
    const { state } = given(opened({ maxNoShows: 1 }), joined('amy'), called('t1', 'amy'), forfeited('t1', 'amy'), event('SingerWentAway', { singerId: 'amy', reason: 'no-shows' }), event('SingerCameBack', { singerId: 'amy' }));
    expect(state.singers.amy).toMatchObject({ status: 'active', consecutiveNoShows: 0 });
  });
  it('rejects once the singer is performing', () => {
    given(opened(), joined('amy'), called('t1', 'amy'), started('t1', 'amy')).when({ type: 'ForfeitTurn', turnId: 't1' }).thenRejects('turn-already-started');
  });
});

describe('the called singer skips or steps away before starting', () => {
  it('skip ends the turn skipped: the song goes back, no no-show, no flag', () => {
    const state = given(opened(), joined('amy'), called('t1', 'amy'))
      .when({ type: 'SkipTurn', singerId: 'amy', actor: singer('amy') })
      .then(event('TurnSkipped', { turnId: 't1', singerId: 'amy', songId: 'amy-s1', reason: 'skip' }));
    expect(state.singers.amy).toMatchObject({ skipNext: false, consecutiveNoShows: 0, songs: [{ songId: 'amy-s1' }] });
  });
  it('away ends the turn skipped, then the singer is away', () => {
    given(opened(), joined('amy'), called('t1', 'amy'))
      .when({ type: 'GoAway', singerId: 'amy', actor: singer('amy') })
      .then(
        event('TurnSkipped', { turnId: 't1', singerId: 'amy', songId: 'amy-s1', reason: 'away' }),
        event('SingerWentAway', { singerId: 'amy', reason: 'requested' }),
      );
  });
  it('a performing singer who skips skips their next turn instead', () => {
    given(opened(), joined('amy'), called('t1', 'amy'), started('t1', 'amy'))
      .when({ type: 'SkipTurn', singerId: 'amy', actor: singer('amy') })
      .then(event('SkipRequested', { singerId: 'amy' }));
  });
});

describe('close', () => {
  it('closes; a performing turn is completed first', () => {
    given(opened(), joined('amy'), called('t1', 'amy'), started('t1', 'amy'))
      .when({ type: 'CloseRotation', at: at(60) })
      .then(
        event('TurnCompleted', { turnId: 't1', singerId: 'amy', songId: 'amy-s1', song: { title: 'amy-s1', artist: 'amy-s1 artist' }, startedAt: T0, completedAt: at(60), durationSeconds: 60 }),
        event('RotationClosed', { closedAt: at(60) }),
      );
  });
  it('a called turn that never started is forfeited by the close, not counted as a no-show', () => {
    given(opened(), joined('amy'), called('t1', 'amy')).when({ type: 'CloseRotation' }).then(forfeited('t1', 'amy', 'closed'), event('RotationClosed', { closedAt: T0 }));
  });
  it('nothing but reads afterwards', () => {
    given(opened(), event('RotationClosed', { closedAt: T0 })).when({ type: 'CloseRotation' }).thenRejects('rotation-closed');
  });
});
