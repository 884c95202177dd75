import { song, startTestApi } from '../support/api';
import { eventually } from '../workflows/support';

/**
 * API.md "Singers the KJ adds", over HTTP with the real turn workflow and outbox: a singer the KJ adds by id
 * gets no alert until they act themselves, and their history says the KJ added them; a walk-up gets an id.
 */
const api = startTestApi();

const outbox = async () => (await api.request('GET', '/dev/outbox')).body.alerts as { singerId: string; turnId: string; kind: string }[];

describe('a singer the KJ adds', () => {
  it('gets no SMS until they act themselves, and their history marks the performance addedByKj', async () => {
    const kj = api.token('kj-adds', 'kj');
    const amy = (await api.request('POST', '/auth/guest', { body: { name: 'Amy' } })).body as { token: string; singerId: string };
    const bo = (await api.request('POST', '/auth/guest', { body: { name: 'Bo' } })).body as { token: string; singerId: string };
    for (const who of [amy, bo]) {
      const saved = await api.request('PUT', `/singers/${who.singerId}/contact`, { token: who.token, body: { phone: '+15551234567', channels: ['sms'] } });
      expect(saved.status).toBe(200);
    }
    const rotationId = (await api.request('POST', '/rotations', { token: kj, body: { venue: 'Consent Bar', settings: { autoAdvance: false, alertAheadTurns: 0 } } })).body
      .rotationId as string;
    const run = (method: string, path: string, token = kj, body?: unknown) => api.request(method, `/rotations/${rotationId}${path}`, { token, body });

    // The KJ adds Amy by her id (she asked in person); Bo joins from his phone; a walk-up gets a made id.
    expect((await run('POST', '/singers', kj, { singerId: amy.singerId, displayName: 'Amy', song: song('Jolene') })).status).toBe(201);
    expect((await run('POST', '/singers', bo.token, { displayName: 'Bo', song: song('Hurt') })).status).toBe(201);
    const walkUp = await run('POST', '/singers', kj, { displayName: 'Cy', song: song('Valerie') });
    expect(walkUp.status).toBe(201);
    expect(walkUp.body.singerId).toMatch(/^walkup-[0-9a-f]{12}$/);

    // Amy is called first: no alert for her. Bo is called next: his alert comes (so Amy's turn was long past).
    const first = (await run('POST', '/turns')).body;
    expect(first.singerId).toBe(amy.singerId);
    await run('POST', `/turns/${first.turnId}/start`);
    await run('POST', `/turns/${first.turnId}/complete`);
    const second = (await run('POST', '/turns')).body;
    expect(second.singerId).toBe(bo.singerId);
    await eventually(async () => expect((await outbox()).map((a) => a.turnId)).toContain(second.turnId));
    expect((await outbox()).filter((a) => a.singerId === amy.singerId)).toEqual([]);
    await run('POST', `/turns/${second.turnId}/complete`);
    await run('POST', `/turns/${(await run('POST', '/turns')).body.turnId}/forfeit`); // the walk-up never came up

    // Amy queues a song from her own phone: that is her consent; her next call alerts her.
    expect((await run('POST', `/singers/${amy.singerId}/songs`, amy.token, song('Valerie'))).status).toBe(201);
    const third = (await run('POST', '/turns')).body;
    expect(third.singerId).toBe(amy.singerId);
    await eventually(async () => expect((await outbox()).filter((a) => a.singerId === amy.singerId).map((a) => a.turnId)).toEqual([third.turnId]));

    const history = await api.request('GET', `/singers/${amy.singerId}/history`, { token: amy.token });
    expect(history.body.performances).toEqual([expect.objectContaining({ rotationId, song: song('Jolene'), addedByKj: true })]);
    const boHistory = await api.request('GET', `/singers/${bo.singerId}/history`, { token: bo.token });
    expect(boHistory.body.performances).toEqual([expect.not.objectContaining({ addedByKj: expect.anything() })]);
  });
});
