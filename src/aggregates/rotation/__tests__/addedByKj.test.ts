import { alertsForCalledTurn, event, type RotationState } from '..';
import { byKj, called, joined, opened, song } from '../../../../test/support/rotationEvents';
import { given, KJ, singer, T0 } from '../../../../test/support/rotationSpec';

/** API.md "Singers the KJ adds": no alerts until they act themselves; their history says the KJ added them. */
const confirmed = (singerId: string) => event('SingerConfirmed', { singerId });
const alertedIn = (state: RotationState) => alertsForCalledTurn(state).map((a) => `${a.singerId} ${a.kind}`);

describe('a singer the KJ adds', () => {
  it('is recorded as added by the KJ; a singer joining themselves is not', () => {
    given(opened())
      .when({ type: 'JoinRotation', singerId: 'amy', displayName: 'AMY', songId: 'amy-s1', song: song('amy-s1'), actor: KJ })
      .then(byKj(joined('amy')));
    given(opened())
      .when({ type: 'JoinRotation', singerId: 'amy', displayName: 'AMY', songId: 'amy-s1', song: song('amy-s1'), actor: singer('amy') })
      .then(joined('amy'));
  });

  it('gets no alert until they act themselves: then, and from then on, they do', () => {
    const state = given(opened({ alertAheadTurns: 1 }), byKj(joined('amy')), joined('bo'), called('t1', 'bo')).state;
    expect(alertedIn(state)).toEqual(['bo up-now']); // amy is one turn away, but silent
    const silentUp = given(opened({ alertAheadTurns: 1 }), byKj(joined('amy')), joined('bo'), called('t1', 'amy')).state;
    expect(alertedIn(silentUp)).toEqual(['bo turns-away']);

    const after = given(opened({ alertAheadTurns: 1 }), byKj(joined('amy')), joined('bo'), confirmed('amy'), called('t1', 'bo')).state;
    expect(alertedIn(after)).toEqual(['bo up-now', 'amy turns-away']);
  });

  it('confirms with any accepted command of their own, even one that changes nothing else', () => {
    given(opened(), byKj(joined('amy')))
      .when({ type: 'ComeBack', singerId: 'amy', actor: singer('amy') }) // already here: a no-op but for consent
      .then(confirmed('amy'));
    given(opened(), byKj(joined('amy')))
      .when({ type: 'SkipTurn', singerId: 'amy', actor: singer('amy') })
      .then(confirmed('amy'), event('SkipRequested', { singerId: 'amy' }));
    // Once is enough.
    given(opened(), byKj(joined('amy')), confirmed('amy'))
      .when({ type: 'ComeBack', singerId: 'amy', actor: singer('amy') })
      .then();
  });

  it('is not confirmed by the KJ acting for them, nor by a command of theirs that is refused', () => {
    given(opened(), byKj(joined('amy')))
      .when({ type: 'SkipTurn', singerId: 'amy', actor: KJ })
      .then(event('SkipRequested', { singerId: 'amy' }));
    given(opened({ maxPendingSongs: 1 }), byKj(joined('amy')))
      .when({ type: 'QueueSong', singerId: 'amy', songId: 'amy-s2', song: song('amy-s2'), actor: singer('amy') })
      .thenRejects('too-many-songs');
  });

  it('sings a performance marked as added by the KJ', () => {
    const base = [opened(), byKj(joined('amy')), called('t1', 'amy')] as const;
    const completedEvents = given(...base).when({ type: 'CompleteTurn', turnId: 't1', at: T0 }).result;
    expect(completedEvents).toEqual([expect.objectContaining({ type: 'TurnCompleted', data: expect.objectContaining({ addedByKj: true }) })]);
    const selfJoined = given(opened(), joined('bo'), called('t1', 'bo')).when({ type: 'CompleteTurn', turnId: 't1', at: T0 }).result;
    expect(selfJoined).toEqual([expect.objectContaining({ type: 'TurnCompleted', data: expect.not.objectContaining({ addedByKj: true }) })]);
  });
});
