import { song, startTestApi } from '../support/api';

const api = startTestApi();

describe('every route, success path, over HTTP', () => {
  it('plays the routes of API.md in order', async () => {
    const kj = api.token('kj-ann', 'kj', 'Ann');
    const amy = api.token('amy', 'singer', 'Amy');

    expect(await api.request('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });

    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'The Blue Room', settings: { maxPendingSongs: 4, autoAdvance: false } } });
    expect(opened).toMatchObject({ status: 201, body: { version: 1 } });
    const r = `/rotations/${opened.body.rotationId}`;

    expect(await api.request('POST', `${r}/singers`, { token: amy, body: { displayName: 'Amy', song: song('Jolene') } })).toMatchObject({ status: 201, body: { singerId: 'amy', version: 2 } });
    expect(await api.request('POST', `${r}/singers`, { token: kj, body: { singerId: 'bo', displayName: 'Bo', song: song('Hurt'), placement: 'next' } })).toMatchObject({ status: 201, body: { singerId: 'bo', version: 3 } });

    const queued = await api.request('POST', `${r}/singers/amy/songs`, { token: amy, body: { title: 'Valerie', artist: 'Amy Winehouse', key: -2 } });
    expect(queued).toMatchObject({ status: 201, body: { version: 4 } });
    const extra = await api.request('POST', `${r}/singers/amy/songs`, { token: amy, body: song('Extra') });
    expect(await api.request('DELETE', `${r}/singers/amy/songs/${extra.body.songId}`, { token: amy })).toMatchObject({ status: 200 });

    expect((await api.request('POST', `${r}/singers/bo/skip`, { token: kj })).status).toBe(200);
    expect((await api.request('POST', `${r}/singers/amy/away`, { token: amy })).status).toBe(200);
    expect((await api.request('POST', `${r}/singers/amy/back`, { token: amy })).status).toBe(200);
    expect((await api.request('POST', `${r}/singers/amy/move`, { token: kj, body: { position: 1 } })).status).toBe(200);

    const queue = await api.request('GET', `${r}/queue`, { token: amy });
    expect(queue.status).toBe(200);
    expect(queue.body).toMatchObject({ venue: 'The Blue Room', status: 'open', current: null });

    const call = await api.request('POST', `${r}/turns`, { token: kj });
    expect(call).toMatchObject({ status: 201, body: { singerId: 'amy', song: song('Jolene') } });
    const t = `${r}/turns/${call.body.turnId}`;
    expect((await api.request('POST', `${t}/start`, { token: kj })).status).toBe(200);
    expect((await api.request('POST', `${t}/complete`, { token: kj })).status).toBe(200);

    const second = await api.request('POST', `${r}/turns`, { token: kj });
    expect(second.body.singerId).toBe('bo'); // bo's skip was used up by the first call
    expect((await api.request('POST', `${r}/turns/${second.body.turnId}/forfeit`, { token: kj })).status).toBe(200);

    expect(await api.request('PUT', '/singers/amy/contact', { token: amy, body: { phone: '+15551234567', channels: ['sms'] } })).toMatchObject({ status: 200, body: { singerId: 'amy', channels: ['sms'] } });
    expect(await api.request('GET', '/singers/amy/history', { token: amy })).toMatchObject({ status: 200 });

    const events = await api.request('GET', `${r}/events`, { token: kj });
    expect(events.status).toBe(200);
    expect(events.body.events.map((e: { seq: number }) => e.seq)).toEqual(events.body.events.map((_: unknown, i: number) => i + 1));
    expect(events.body.events[0]).toMatchObject({ seq: 1, type: 'RotationOpened', actor: { id: 'kj-ann', role: 'kj' } });

    const asOf = await api.request('GET', `${r}/state?seq=3`, { token: kj });
    expect(asOf.status).toBe(200);
    expect(asOf.body.singers.map((s: { singerId: string }) => s.singerId).sort()).toEqual(['amy', 'bo']);
    expect(asOf.body.version).toBe(3);
    const atTime = await api.request('GET', `${r}/state?at=${encodeURIComponent(new Date().toISOString())}`, { token: kj });
    expect(atTime).toMatchObject({ status: 200, body: { version: events.body.events.length === 0 ? 0 : expect.any(Number) } });

    expect((await api.request('DELETE', `${r}/singers/bo`, { token: kj })).status).toBe(200);
    expect((await api.request('DELETE', `${r}/singers/amy`, { token: amy })).status).toBe(200);
    expect((await api.request('POST', `${r}/close`, { token: kj })).status).toBe(200);
    expect(await api.request('POST', `${r}/singers`, { token: amy, body: { displayName: 'Amy', song: song('Late') } })).toMatchObject({ status: 422, body: { error: { code: 'rotation-closed' } } });
  });

  it('answers unknown routes and wrong methods with the error shape', async () => {
    const kj = api.token('kj-ann', 'kj');
    expect(await api.request('GET', '/nope', { token: kj })).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    const wrong = await api.request('PUT', '/rotations', { token: kj });
    expect(wrong).toMatchObject({ status: 405, body: { error: { code: 'method-not-allowed' } } });
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
