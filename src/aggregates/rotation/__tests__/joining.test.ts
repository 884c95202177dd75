import { DEFAULT_SETTINGS, event, queueView, type RotationState } from '..';
import { byKj, called, completed, joined, opened, sang, song } from '../../../../test/support/rotationEvents';
import { given, KJ, singer, T0 } from '../../../../test/support/rotationSpec';

const singersView = (state: RotationState) =>
  queueView(state, { version: 0, now: T0 }).singers.map((s) => s.singerId);

describe('open', () => {
  it('opens with default settings merged under the given ones', () => {
    given()
      .when({ type: 'OpenRotation', rotationId: 'r1', venue: 'The Blue Room', settings: { maxNoShows: 3 } })
      .then(opened({ maxNoShows: 3 }));
  });
  it('rejects opening twice', () => {
    given(opened()).when({ type: 'OpenRotation', rotationId: 'r1', venue: 'x' }).thenRejects('rotation-already-open');
  });
  it('rejects a singer opening a rotation', () => {
    given()
      .when({ type: 'OpenRotation', rotationId: 'r1', venue: 'x', actor: singer('amy') })
      .thenRejects('forbidden');
  });
  it('rejects commands on a rotation that was never opened', () => {
    given().when({ type: 'CallNext', turnId: 't1' }).thenRejects('rotation-not-found');
  });
});

describe('join', () => {
  const join = (singerId: string, placement?: 'fair' | 'full-rotation' | 'next') =>
    ({ type: 'JoinRotation', singerId, displayName: singerId.toUpperCase(), songId: `${singerId}-s1`, song: song(`${singerId}-s1`), placement, actor: placement === 'next' ? KJ : singer(singerId) }) as const;

  it('the first joiner becomes top; the rotation default placement is recorded', () => {
    const state = given(opened()).when(join('amy')).then(joined('amy', 'fair'));
    expect(state.top).toBe('amy');
    expect(state.order).toEqual(['amy']);
  });

  it('refuses a join beyond maxSingers slots with rotation-full; a slot freed by a leaver can be taken', () => {
    given(opened({ maxSingers: 2 }), joined('amy'), joined('bo')).when(join('cy')).thenRejects('rotation-full');
    given(opened({ maxSingers: 2 }), joined('amy'), joined('bo'), event('SingerLeft', { singerId: 'bo', reason: 'left' }))
      .when(join('cy'))
      .then(joined('cy', 'fair'));
  });

  it('records only the settings it knows, and nights opened before maxSingers get its default', () => {
    const command = { type: 'OpenRotation', rotationId: 'r1', venue: 'The Blue Room', settings: { maxSingers: 20, somethingNew: true } } as never;
    given().when(command).then(opened({ maxSingers: 20 }));
    const { maxSingers: _dropped, ...before } = DEFAULT_SETTINGS;
    const old = given(event('RotationOpened', { rotationId: 'r1', venue: 'x', kjId: 'kj', settings: before as never, openedAt: T0 }));
    old.when(join('amy')).then(joined('amy', 'fair'));
    expect(DEFAULT_SETTINGS.maxSingers).toBe(150);
  });

  it('uses the rotation placement setting when the join names none', () => {
    given(opened({ placement: 'full-rotation' }), joined('amy')).when(join('bo')).then(joined('bo', 'full-rotation'));
  });

  it('fair: a newcomer goes at the end of the current round, before anyone who sang this round sings again', () => {
    // amy, bo, cy; amy and bo have sung this round, cy has not.
    const state = given(
      opened(),
      joined('amy'),
      joined('bo'),
      joined('cy'),
      ...sang('t1', 'amy'),
      ...sang('t2', 'bo'),
    )
      .when(join('dee', 'fair'))
      .then(joined('dee', 'fair'));
    // cursor is bo: cy still to sing this round, then dee, then amy and bo again.
    expect(singersView(state)).toEqual(['cy', 'dee', 'amy', 'bo']);
  });

  it('full-rotation: a newcomer goes just before the current singer, so everyone else sings once first', () => {
    const state = given(opened(), joined('amy'), joined('bo'), joined('cy'), called('t1', 'amy'))
      .when({ ...join('dee'), placement: 'full-rotation' })
      .then(joined('dee', 'full-rotation'));
    expect(singersView(state)).toEqual(['bo', 'cy', 'dee', 'amy']);
  });

  it('full-rotation with nobody called yet goes at the end', () => {
    const state = given(opened(), joined('amy'), joined('bo'))
      .when({ ...join('cy'), placement: 'full-rotation' })
      .then(joined('cy', 'full-rotation'));
    expect(singersView(state)).toEqual(['amy', 'bo', 'cy']);
  });

  it('next (KJ): right after the current singer', () => {
    const state = given(opened(), joined('amy'), joined('bo'), joined('cy'), called('t1', 'amy'))
      .when(join('dee', 'next'))
      .then(byKj(joined('dee', 'next')));
    expect(singersView(state)).toEqual(['dee', 'bo', 'cy', 'amy']);
  });

  it('next (KJ) before anyone was called: the newcomer becomes top, first in line', () => {
    const state = given(opened(), joined('amy'), joined('bo')).when(join('cy', 'next')).then(byKj(joined('cy', 'next')));
    expect(state.top).toBe('cy');
    expect(singersView(state)).toEqual(['cy', 'amy', 'bo']);
  });

  it('a singer cannot put themselves next', () => {
    given(opened(), joined('amy'))
      .when({ ...join('bo'), placement: 'next', actor: singer('bo') })
      .thenRejects('forbidden');
  });

  it('a singer already in the rotation cannot join again', () => {
    given(opened(), joined('amy')).when(join('amy')).thenRejects('already-joined');
  });

  it('a singer who left can join again, with a fresh slot', () => {
    given(opened(), joined('amy'), joined('bo'), event('SingerLeft', { singerId: 'amy', reason: 'left' }))
      .when(join('amy'))
      .then(joined('amy', 'fair'));
  });

  it('a singer who sang tonight, left and rejoins goes to the back, not the end of the round', () => {
    const state = given(
      opened(), joined('amy'), joined('bo'), joined('cy'),
      ...sang('t1', 'amy'), ...sang('t2', 'bo'), called('t3', 'cy'),
      event('TurnForfeited', { turnId: 't3', singerId: 'cy', songId: 'cy-s1', reason: 'left' }),
      event('SingerLeft', { singerId: 'amy', reason: 'left' }),
    )
      .when(join('amy'))
      .then(joined('amy', 'back', 'amy-s1', true));
    // fair would have put amy before top (her old slot), ahead of bo and cy, who have waited since her turn.
    expect(singersView(state)).toEqual(['bo', 'cy', 'amy']);
  });

  it('the KJ may still put a returning singer next', () => {
    given(opened(), joined('amy'), joined('bo'), ...sang('t1', 'amy'), event('SingerLeft', { singerId: 'amy', reason: 'left' }))
      .when(join('amy', 'next'))
      .then(byKj(joined('amy', 'next', 'amy-s1', true)));
  });

  it('a closed rotation accepts no joins', () => {
    given(opened(), event('RotationClosed', { closedAt: T0 })).when(join('amy')).thenRejects('rotation-closed');
  });

  it('keeps the settings it was opened with', () => {
    expect(given(opened()).state.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('a completed turn counts for the singer and resets their no-show streak', () => {
    const { state } = given(opened(), joined('amy'), called('t1', 'amy'), completed('t1', 'amy', 'amy-s1', 200));
    expect(state.singers.amy).toMatchObject({ turnsCompleted: 1, consecutiveNoShows: 0, songs: [] });
    expect(state.totalPerformanceSeconds).toBe(200);
  });
});
