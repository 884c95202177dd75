import { event } from '..';
import { called, joined, opened, queued, song } from '../../../../test/support/rotationEvents';
import { given, singer } from '../../../../test/support/rotationSpec';

const amy = singer('amy');

describe('queue song', () => {
  it('appends to the singer list', () => {
    const state = given(opened(), joined('amy'))
      .when({ type: 'QueueSong', singerId: 'amy', songId: 'amy-s2', song: song('amy-s2'), actor: amy })
      .then(queued('amy', 'amy-s2'));
    expect(state.singers.amy!.songs.map((s) => s.songId)).toEqual(['amy-s1', 'amy-s2']);
  });
  it('rejects more than maxPendingSongs pending', () => {
    given(opened({ maxPendingSongs: 2 }), joined('amy'), queued('amy', 'amy-s2'))
      .when({ type: 'QueueSong', singerId: 'amy', songId: 'amy-s3', song: song('x'), actor: amy })
      .thenRejects('too-many-songs');
  });
  it('the song of an open turn is no longer pending, so it frees a place', () => {
    given(opened({ maxPendingSongs: 2 }), joined('amy'), queued('amy', 'amy-s2'), called('t1', 'amy'))
      .when({ type: 'QueueSong', singerId: 'amy', songId: 'amy-s3', song: song('amy-s3'), actor: amy })
      .then(queued('amy', 'amy-s3'));
  });
  it('rejects a song id already in use', () => {
    given(opened(), joined('amy'))
      .when({ type: 'QueueSong', singerId: 'amy', songId: 'amy-s1', song: song('x'), actor: amy })
      .thenRejects('duplicate-id');
  });
  it('rejects a singer who is not in the rotation', () => {
    given(opened(), joined('amy'))
      .when({ type: 'QueueSong', singerId: 'bo', songId: 'bo-s2', song: song('x') })
      .thenRejects('not-in-rotation');
  });
});

describe('withdraw song', () => {
  it('removes one pending song and keeps the order of the rest', () => {
    const state = given(opened(), joined('amy'), queued('amy', 'amy-s2'), queued('amy', 'amy-s3'))
      .when({ type: 'WithdrawSong', singerId: 'amy', songId: 'amy-s2', actor: amy })
      .then(event('SongWithdrawn', { singerId: 'amy', songId: 'amy-s2' }));
    expect(state.singers.amy!.songs.map((s) => s.songId)).toEqual(['amy-s1', 'amy-s3']);
  });
  it('rejects a song that is not pending', () => {
    given(opened(), joined('amy')).when({ type: 'WithdrawSong', singerId: 'amy', songId: 'nope', actor: amy }).thenRejects('song-not-found');
  });
  it('rejects withdrawing the song that is up now', () => {
    given(opened(), joined('amy'), called('t1', 'amy'))
      .when({ type: 'WithdrawSong', singerId: 'amy', songId: 'amy-s1', actor: amy })
      .thenRejects('song-not-found');
  });
});
