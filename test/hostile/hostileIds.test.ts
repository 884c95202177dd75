import { runCli } from '../../src/cli/run';
import { song, startTestApi, type ApiResponse } from '../support/api';

// tcp: `rotation audit` reads the same store, as an operator's terminal would.
const api = startTestApi({ storeTransport: 'tcp' });

/**
 * Property names of a plain JavaScript object are ordinary ids (API.md "Errors"): as singer ids on every
 * singer route, and as the one a KJ moves, they get 4xx or success, never 5xx, and the rotation stays
 * readable. `__proto__` and friends cannot be ids at all (ids start with a letter or digit): 400.
 */
const HOSTILE = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'prototype', '__proto__', '__defineGetter__'];

describe('hostile singer ids', () => {
  const kj = () => api.token('kj-hostile', 'kj');
  const answers: { what: string; status: number }[] = [];
  const call = async (what: string, pending: Promise<ApiResponse>) => {
    const response = await pending;
    answers.push({ what, status: response.status });
    return response;
  };

  const readable = async (r: string) => {
    for (const path of [`${r}/queue`, `${r}/events`, `${r}/state?seq=1`]) {
      const read = await api.request('GET', path, { token: kj() });
      expect({ path, status: read.status }).toEqual({ path, status: 200 });
    }
    return (await api.request('GET', `${r}/queue`, { token: kj() })).body;
  };

  it('on every singer route: 4xx or success, never 5xx; the rotation stays readable', async () => {
    const opened = await api.request('POST', '/rotations', { token: kj(), body: { venue: 'Proto Bar', settings: { autoAdvance: false } } });
    expect(opened.status).toBe(201);
    const r = `/rotations/${opened.body.rotationId}`;
    // Someone ordinary first, so moves and calls have company.
    expect((await api.request('POST', `${r}/singers`, { token: kj(), body: { singerId: 'amy', displayName: 'Amy', song: song('a') } })).status).toBe(201);

    for (const id of HOSTILE) {
      const me = api.token(id, 'singer');
      const s = `${r}/singers/${encodeURIComponent(id)}`;
      // Before joining: every route on a singer who is not there.
      await call(`${id} queue before join`, api.request('POST', `${s}/songs`, { token: me, body: song('x') }));
      await call(`${id} skip before join`, api.request('POST', `${s}/skip`, { token: me }));
      await call(`${id} move before join`, api.request('POST', `${s}/move`, { token: kj(), body: { position: 0 } }));
      await call(`${id} leave before join`, api.request('DELETE', s, { token: me }));
      await call(`${id} withdraw before join`, api.request('DELETE', `${s}/songs/${encodeURIComponent(id)}`, { token: me }));
      // Joining as themselves and added by the KJ.
      const joined = await call(`${id} join`, api.request('POST', `${r}/singers`, { token: me, body: { displayName: id, song: song(`${id} song`) } }));
      await call(`${id} kj add`, api.request('POST', `${r}/singers`, { token: kj(), body: { singerId: id, displayName: id, song: song('y') } }));
      const queued = await call(`${id} queue`, api.request('POST', `${s}/songs`, { token: me, body: song(`${id} second`) }));
      for (const action of ['skip', 'away', 'back']) await call(`${id} ${action}`, api.request('POST', `${s}/${action}`, { token: me }));
      await call(`${id} move`, api.request('POST', `${s}/move`, { token: kj(), body: { position: 0 } }));
      if (queued.status === 201) {
        await call(`${id} withdraw`, api.request('DELETE', `${s}/songs/${queued.body.songId}`, { token: me }));
      }
      await call(`${id} history`, api.request('GET', `/singers/${encodeURIComponent(id)}/history`, { token: me }));
      await call(`${id} contact`, api.request('PUT', `/singers/${encodeURIComponent(id)}/contact`, { token: me, body: { channels: [] } }));
      if (joined.status === 201) {
        const view = await readable(r);
        expect(view.singers.map((x: { singerId: string }) => x.singerId)).toContain(id);
      }
    }
    await readable(r);

    // Call everyone through once: the turn routes meet every hostile id as the called singer.
    for (let i = 0; i < HOSTILE.length + 1; i++) {
      const turn = await call('call', api.request('POST', `${r}/turns`, { token: kj() }));
      if (turn.status !== 201) break;
      await call('start', api.request('POST', `${r}/turns/${turn.body.turnId}/start`, { token: kj() }));
      await call('complete', api.request('POST', `${r}/turns/${turn.body.turnId}/complete`, { token: kj() }));
    }
    for (const id of HOSTILE) await call(`${id} leave`, api.request('DELETE', `${r}/singers/${encodeURIComponent(id)}`, { token: api.token(id, 'singer') }));
    // Rejoining after singing tonight: the "called tonight" set is keyed by singer id too.
    for (const id of HOSTILE) {
      await call(`${id} rejoin`, api.request('POST', `${r}/singers`, { token: api.token(id, 'singer'), body: { displayName: id, song: song('again') } }));
    }
    const view = await readable(r);

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    // Ids that are ids (not `__…`) really took part: joined, and back in the queue after rejoining.
    const ordinary = HOSTILE.filter((id) => !id.startsWith('_'));
    expect(answers.filter((a) => a.what.endsWith(' join') && a.status === 201).map((a) => a.what)).toEqual(ordinary.map((id) => `${id} join`));
    expect(view.singers.map((x: { singerId: string }) => x.singerId).sort()).toEqual(['amy', ...ordinary].sort());
    expect(answers.filter((a) => a.what.startsWith('__') && a.status >= 200 && a.status < 300)).toEqual([]);

    // The audit reads the same log from a terminal: every hostile id's song is in its timeline, the chain intact.
    const audit = async (...args: string[]) => {
      let stdout = '';
      const code = await runCli(['audit', opened.body.rotationId, ...args, '--endpoint', api.engine.dynamo.endpoint], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => {}, isTTY: false, columns: 200 },
        env: {},
        timeZone: 'UTC',
      });
      return { code, stdout };
    };
    const timeline = await audit();
    expect(timeline.code).toBe(0);
    for (const id of ordinary) expect(timeline.stdout).toContain(`${id} song`);
    const verified = await audit('--verify');
    expect(verified).toEqual({ code: 0, stdout: expect.stringContaining('Verified.') });
  }, 60_000);

  it('as query parameter names: refused as unknown parameters, never dropped unseen, never 5xx', async () => {
    const opened = await api.request('POST', '/rotations', { token: kj(), body: { venue: 'Query Bar', settings: { autoAdvance: false } } });
    const r = `/rotations/${opened.body.rotationId}`;
    for (const name of HOSTILE) {
      for (const path of [`${r}/queue`, `${r}/songbook`, `${r}/state`]) {
        const read = await api.request('GET', `${path}?${encodeURIComponent(name)}=1`, { token: kj() });
        expect({ path, name, status: read.status, code: read.body.error?.code }).toEqual({ path, name, status: 400, code: 'invalid-request' });
        expect(read.body.error.message).toContain(name);
      }
    }
  });
});
