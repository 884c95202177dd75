import { event, scanOrder } from '..';
import { called, completed, joined, opened, queued, sang } from '../../../../test/support/rotationEvents';
import { given, SYSTEM } from '../../../../test/support/rotationSpec';

const skip = (singerId: string) => event('SkipRequested', { singerId });
const away = (singerId: string) => event('SingerWentAway', { singerId, reason: 'requested' });

describe('call next', () => {
  it('calls top first when nobody has been called', () => {
    given(opened(), joined('amy'), joined('bo')).when({ type: 'CallNext', turnId: 't1' }).then(called('t1', 'amy'));
  });
  it('calls the first eligible singer after the cursor, going round', () => {
    given(opened(), joined('amy'), joined('bo'), queued('amy', 'amy-s2'), ...sang('t1', 'amy'), ...sang('t2', 'bo'))
      .when({ type: 'CallNext', turnId: 't3' })
      .then(called('t3', 'amy', 'amy-s2'));
  });
  it('passes over away and song-less singers, who keep their slots', () => {
    const state = given(opened(), joined('amy'), joined('bo'), joined('cy'), away('amy'), event('SongWithdrawn', { singerId: 'bo', songId: 'bo-s1' }))
      .when({ type: 'CallNext', turnId: 't1', actor: SYSTEM })
      .then(called('t1', 'cy'));
    expect(scanOrder(state)).toEqual(['amy', 'bo', 'cy']);
  });
  it('passes over a skipping singer once and clears the flag', () => {
    const state = given(opened(), joined('amy'), joined('bo'), skip('amy'))
      .when({ type: 'CallNext', turnId: 't1' })
      .then(called('t1', 'bo', 'bo-s1', ['amy']));
    expect(state.singers.amy!.skipNext).toBe(false);
  });
  it('a lone skipping singer is still called, on the second lap', () => {
    given(opened(), joined('amy'), skip('amy')).when({ type: 'CallNext', turnId: 't1' }).then(called('t1', 'amy', 'amy-s1', ['amy']));
  });
  it('a skip flag of a singer with no song is kept for when they have one', () => {
    const state = given(opened(), joined('amy'), joined('bo'), event('SongWithdrawn', { singerId: 'amy', songId: 'amy-s1' }), skip('amy'))
      .when({ type: 'CallNext', turnId: 't1' })
      .then(called('t1', 'bo'));
    expect(state.singers.amy!.skipNext).toBe(true);
  });
  it('rejects when nobody is eligible', () => {
    given(opened(), joined('amy'), away('amy')).when({ type: 'CallNext', turnId: 't1' }).thenRejects('no-eligible-singer');
  });
  it('rejects while a turn is open', () => {
    given(opened(), joined('amy'), joined('bo'), called('t1', 'amy')).when({ type: 'CallNext', turnId: 't2' }).thenRejects('turn-in-progress');
  });
  it('takes the first pending song off the list', () => {
    const { state } = given(opened(), joined('amy'), called('t1', 'amy'));
    expect(state.singers.amy!.songs).toEqual([]);
    expect(state.currentTurn).toMatchObject({ turnId: 't1', singerId: 'amy', songId: 'amy-s1', state: 'called' });
    expect(given(opened(), joined('amy'), called('t1', 'amy'), completed('t1', 'amy')).state.cursor).toBe('amy');
  });
});
