import { song, startTestApi } from '../support/api';

const api = startTestApi();

/** A night played through the API; at each point the queue's `upcoming` is what ROTATION.md says it must be. */
describe('a night through the API', () => {
  it('upcoming follows the rotation rules: fair and full-rotation joins, next, skip, away, no-show', async () => {
    const kj = api.token('kj-night', 'kj');
    const singer = (id: string) => api.token(id, 'singer');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Night Club', settings: { autoAdvance: false, maxNoShows: 2 } } });
    const r = `/rotations/${opened.body.rotationId}`;
    const join = (id: string) => api.request('POST', `${r}/singers`, { token: singer(id), body: { displayName: id.toUpperCase(), song: song(`${id}-1`) } });
    const upcoming = async () => (await api.request('GET', `${r}/queue`, { token: kj })).body.upcoming.map((u: { singerId: string; turnsAway: number }) => `${u.singerId}:${u.turnsAway}`);
    const callAndComplete = async () => {
      const call = await api.request('POST', `${r}/turns`, { token: kj });
      expect(call.status).toBe(201);
      await api.request('POST', `${r}/turns/${call.body.turnId}/start`, { token: kj });
      await api.request('POST', `${r}/turns/${call.body.turnId}/complete`, { token: kj });
      return call.body.singerId as string;
    };
    const queueSong = (id: string, n: number) => api.request('POST', `${r}/singers/${id}/songs`, { token: singer(id), body: song(`${id}-${n}`) });

    for (const id of ['amy', 'bo', 'cy']) await join(id);
    for (const id of ['amy', 'bo', 'cy']) await queueSong(id, 2);
    expect(await upcoming()).toEqual(['amy:1', 'bo:2', 'cy:3']);

    expect(await callAndComplete()).toBe('amy');
    // fair: dee goes at the end of the round — after bo and cy, before amy sings again.
    await join('dee');
    expect(await upcoming()).toEqual(['bo:1', 'cy:2', 'dee:3', 'amy:4']);

    // full-rotation (KJ join): eve goes just before the current/last singer (amy): everyone else first.
    await api.request('POST', `${r}/singers`, { token: kj, body: { singerId: 'eve', displayName: 'EVE', song: song('eve-1'), placement: 'full-rotation' } });
    expect(await upcoming()).toEqual(['bo:1', 'cy:2', 'dee:3', 'eve:4', 'amy:5']);

    // bo skips his next turn: passed over once, keeps his slot, adds nothing to the others.
    await api.request('POST', `${r}/singers/bo/skip`, { token: singer('bo') });
    expect(await upcoming()).toEqual(['cy:1', 'dee:2', 'eve:3', 'amy:4', 'bo:5']);

    // cy steps away: passed over, counted in nobody's wait.
    await api.request('POST', `${r}/singers/cy/away`, { token: singer('cy') });
    expect(await upcoming()).toEqual(['dee:1', 'eve:2', 'amy:3', 'bo:4']);

    // next (KJ only): fin sings right after the current singer.
    await api.request('POST', `${r}/singers`, { token: kj, body: { singerId: 'fin', displayName: 'FIN', song: song('fin-1'), placement: 'next' } });
    expect(await upcoming()).toEqual(['fin:1', 'dee:2', 'eve:3', 'amy:4', 'bo:5']);

    expect(await callAndComplete()).toBe('fin');
    expect(await callAndComplete()).toBe('dee');
    await api.request('POST', `${r}/singers/cy/back`, { token: singer('cy') });
    expect(await upcoming()).toEqual(['eve:1', 'amy:2', 'bo:3', 'cy:4']);

    // eve is a no-show on two turns in a row: each forfeited (song back first, the round goes on),
    // then she is set away, never removed.
    const forfeitEve = async () => {
      const call = await api.request('POST', `${r}/turns`, { token: kj });
      expect(call.body.singerId).toBe('eve');
      expect((await api.request('POST', `${r}/turns/${call.body.turnId}/forfeit`, { token: kj })).status).toBe(200);
    };
    await forfeitEve();
    // dee and fin have sung their only songs: they keep their slots but are not upcoming.
    expect(await upcoming()).toEqual(['amy:1', 'bo:2', 'cy:3', 'eve:4']);
    for (const expected of ['amy', 'bo', 'cy']) expect(await callAndComplete()).toBe(expected);
    await forfeitEve();
    const queue = (await api.request('GET', `${r}/queue`, { token: kj })).body;
    expect(queue.singers.find((s: { singerId: string }) => s.singerId === 'eve')).toMatchObject({ status: 'away', pendingSongs: 1, turnsCompleted: 0 });
    // amy has sung both songs; bo and cy have one left each.
    expect(await upcoming()).toEqual(['bo:1', 'cy:2']);
  });
});
