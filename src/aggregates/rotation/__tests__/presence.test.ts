import { event, scanOrder } from '..';
import { called, joined, opened, sang } from '../../../../test/support/rotationEvents';
import { given, KJ, singer } from '../../../../test/support/rotationSpec';

const amy = singer('amy');

describe('skip, away, back', () => {
  it('skip sets the flag for the next turn', () => {
    const state = given(opened(), joined('amy')).when({ type: 'SkipTurn', singerId: 'amy', actor: amy }).then(event('SkipRequested', { singerId: 'amy' }));
    expect(state.singers.amy!.skipNext).toBe(true);
  });
  it('commands that change nothing are accepted and record nothing', () => {
    given(opened(), joined('amy'), event('SkipRequested', { singerId: 'amy' })).when({ type: 'SkipTurn', singerId: 'amy', actor: amy }).then();
    given(opened(), joined('amy'), event('SingerWentAway', { singerId: 'amy', reason: 'requested' })).when({ type: 'GoAway', singerId: 'amy', actor: amy }).then();
    given(opened(), joined('amy')).when({ type: 'ComeBack', singerId: 'amy', actor: amy }).then();
  });
  it('away then back keeps the slot', () => {
    const state = given(opened(), joined('amy'), joined('bo'), event('SingerWentAway', { singerId: 'amy', reason: 'requested' }))
      .when({ type: 'ComeBack', singerId: 'amy', actor: amy })
      .then(event('SingerCameBack', { singerId: 'amy' }));
    expect(scanOrder(state)).toEqual(['amy', 'bo']);
    expect(state.singers.amy!.status).toBe('active');
  });
});

describe('leave and remove', () => {
  it('leave takes the slot away; top passes to the next slot', () => {
    const state = given(opened(), joined('amy'), joined('bo'), joined('cy'))
      .when({ type: 'LeaveRotation', singerId: 'amy', actor: amy })
      .then(event('SingerLeft', { singerId: 'amy', reason: 'left' }));
    expect(state.top).toBe('bo');
    expect(state.singers.amy).toBeUndefined();
    expect(scanOrder(state)).toEqual(['bo', 'cy']);
  });
  it('the cursor passes to the previous slot, so the next call is unchanged', () => {
    const state = given(opened(), joined('amy'), joined('bo'), joined('cy'), ...sang('t1', 'amy'), ...sang('t2', 'bo'))
      .when({ type: 'RemoveSinger', singerId: 'bo' })
      .then(event('SingerLeft', { singerId: 'bo', reason: 'removed' }));
    expect(state.cursor).toBe('amy');
    expect(scanOrder(state)).toEqual(['cy', 'amy']);
  });
  it('an open turn of the leaving singer ends forfeited first', () => {
    given(opened(), joined('amy'), joined('bo'), called('t1', 'amy'))
      .when({ type: 'RemoveSinger', singerId: 'amy', actor: KJ })
      .then(
        event('TurnForfeited', { turnId: 't1', singerId: 'amy', songId: 'amy-s1', reason: 'removed' }),
        event('SingerLeft', { singerId: 'amy', reason: 'removed' }),
      );
  });
  it('the last singer leaving empties top and cursor', () => {
    const state = given(opened(), joined('amy'), ...sang('t1', 'amy')).when({ type: 'LeaveRotation', singerId: 'amy', actor: amy }).then(event('SingerLeft', { singerId: 'amy', reason: 'left' }));
    expect(state).toMatchObject({ order: [], top: null, cursor: null });
  });
  it('a singer cannot remove someone else', () => {
    given(opened(), joined('amy'), joined('bo')).when({ type: 'RemoveSinger', singerId: 'bo', actor: amy }).thenRejects('forbidden');
    given(opened(), joined('amy'), joined('bo')).when({ type: 'LeaveRotation', singerId: 'bo', actor: amy }).thenRejects('forbidden');
  });
});

describe('move (KJ only)', () => {
  const four = [opened(), joined('amy'), joined('bo'), joined('cy'), joined('dee')] as const;
  it('puts the slot at an index of the singers view as it stands without it', () => {
    const state = given(...four).when({ type: 'MoveSinger', singerId: 'dee', position: 1 }).then(event('SingerMoved', { singerId: 'dee', position: 1 }));
    expect(scanOrder(state)).toEqual(['amy', 'dee', 'bo', 'cy']);
  });
  it('position 0 with nobody called makes the singer top', () => {
    const state = given(...four).when({ type: 'MoveSinger', singerId: 'cy', position: 0 }).then(event('SingerMoved', { singerId: 'cy', position: 0 }));
    expect(scanOrder(state)).toEqual(['cy', 'amy', 'bo', 'dee']);
    expect(state.top).toBe('cy');
  });
  it('moving top to the end hands top on', () => {
    const state = given(...four).when({ type: 'MoveSinger', singerId: 'amy', position: 99 }).then(event('SingerMoved', { singerId: 'amy', position: 99 }));
    expect(scanOrder(state)).toEqual(['bo', 'cy', 'dee', 'amy']);
    expect(state.top).toBe('bo');
  });
  it('with a current singer, beyond the end means just before the current singer', () => {
    const state = given(...four, ...sang('t1', 'amy')).when({ type: 'MoveSinger', singerId: 'bo', position: 10 }).then(event('SingerMoved', { singerId: 'bo', position: 10 }));
    expect(scanOrder(state)).toEqual(['cy', 'dee', 'bo', 'amy']);
  });
  it('the singer of an open turn cannot be moved', () => {
    given(...four, called('t1', 'amy')).when({ type: 'MoveSinger', singerId: 'amy', position: 2 }).thenRejects('singer-on-stage');
  });
  it('rejects a negative or fractional position', () => {
    given(...four).when({ type: 'MoveSinger', singerId: 'amy', position: -1 }).thenRejects('invalid-position');
    given(...four).when({ type: 'MoveSinger', singerId: 'amy', position: 1.5 }).thenRejects('invalid-position');
  });
  it('singers cannot move anyone, themselves included', () => {
    given(...four).when({ type: 'MoveSinger', singerId: 'amy', position: 2, actor: amy }).thenRejects('forbidden');
  });
});

describe('authorization', () => {
  it('another KJ cannot change this rotation', () => {
    given(opened(), joined('amy')).when({ type: 'CallNext', turnId: 't1', actor: { id: 'kj-2', role: 'kj' } }).thenRejects('forbidden');
  });
  it('singers cannot drive turns or close the night', () => {
    given(opened(), joined('amy')).when({ type: 'CallNext', turnId: 't1', actor: amy }).thenRejects('forbidden');
    given(opened(), joined('amy')).when({ type: 'CloseRotation', actor: amy }).thenRejects('forbidden');
  });
  it('the workflow can only drive turns', () => {
    given(opened(), joined('amy')).when({ type: 'RemoveSinger', singerId: 'amy', actor: { id: 'wf', role: 'system' } }).thenRejects('forbidden');
  });
});
