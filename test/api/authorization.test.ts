import { song, startTestApi, type TestApi } from '../support/api';

const api = startTestApi();

type Who = 'owner' | 'otherKj' | 'self' | 'otherSinger' | 'none';
const WHO: Who[] = ['owner', 'otherKj', 'self', 'otherSinger', 'none'];

interface Fixture {
  r: string;
  turnId: string;
  songId: string;
}

/** A fresh rotation per cell: opened by kj-owner, amy and bo joined, amy's turn called when the route needs it. */
const fixture = async (api: TestApi, withTurn: boolean): Promise<Fixture> => {
  const owner = api.token('kj-owner', 'kj');
  const opened = await api.request('POST', '/rotations', { token: owner, body: { venue: 'Matrix Bar', settings: { autoAdvance: false } } });
  const r = `/rotations/${opened.body.rotationId}`;
  await api.request('POST', `${r}/singers`, { token: api.token('amy', 'singer'), body: { displayName: 'Amy', song: song('One') } });
  await api.request('POST', `${r}/singers`, { token: api.token('bo', 'singer'), body: { displayName: 'Bo', song: song('Two') } });
  const songId = (await api.request('POST', `${r}/singers/amy/songs`, { token: owner, body: song('Three') })).body.songId;
  const turnId = withTurn ? (await api.request('POST', `${r}/turns`, { token: owner })).body.turnId : 'none';
  return { r, turnId, songId };
};

/** Every cell says who acts: for routes about a singer, "self" is amy acting on amy, "otherSinger" is bo on amy. */
const tokenFor = (api: TestApi, who: Who): string | undefined =>
  ({ owner: api.token('kj-owner', 'kj'), otherKj: api.token('kj-other', 'kj'), self: api.token('amy', 'singer'), otherSinger: api.token('bo', 'singer'), none: undefined })[who];

interface Cell {
  route: string;
  withTurn?: boolean;
  request: (f: Fixture, who: Who) => { method: string; path: string; body?: unknown };
  expected: Record<Who, number>;
}

const KJ_ONLY = { owner: 200, otherKj: 403, self: 403, otherSinger: 403, none: 401 };
const SELF_OR_KJ = { owner: 200, otherKj: 403, self: 200, otherSinger: 403, none: 401 };

const MATRIX: Cell[] = [
  { route: 'POST /rotations', request: () => ({ method: 'POST', path: '/rotations', body: { venue: 'New' } }), expected: { owner: 201, otherKj: 201, self: 403, otherSinger: 403, none: 401 } },
  { route: 'GET queue', request: (f) => ({ method: 'GET', path: `${f.r}/queue` }), expected: { owner: 200, otherKj: 200, self: 200, otherSinger: 200, none: 401 } },
  {
    route: 'POST singers (join)',
    // self: a singer who has not joined yet joins as themselves; otherSinger: a singer naming someone else is refused.
    request: (f, who) =>
      who === 'owner' || who === 'otherKj'
        ? { method: 'POST', path: `${f.r}/singers`, body: { singerId: 'cy', displayName: 'Cy', song: song('Four') } }
        : who === 'otherSinger'
          ? { method: 'POST', path: `${f.r}/singers`, body: { singerId: 'cy', displayName: 'Cy', song: song('Four') } }
          : { method: 'POST', path: `${f.r}/singers`, body: { displayName: 'Amy again', song: song('Four') } },
    expected: { owner: 201, otherKj: 403, self: 409, otherSinger: 400, none: 401 },
  },
  { route: 'POST songs', request: (f) => ({ method: 'POST', path: `${f.r}/singers/amy/songs`, body: song('Five') }), expected: { ...SELF_OR_KJ, owner: 201, self: 201 } },
  { route: 'DELETE song', request: (f) => ({ method: 'DELETE', path: `${f.r}/singers/amy/songs/${f.songId}` }), expected: SELF_OR_KJ },
  { route: 'POST skip', request: (f) => ({ method: 'POST', path: `${f.r}/singers/amy/skip` }), expected: SELF_OR_KJ },
  { route: 'POST away', request: (f) => ({ method: 'POST', path: `${f.r}/singers/amy/away` }), expected: SELF_OR_KJ },
  { route: 'POST back', request: (f) => ({ method: 'POST', path: `${f.r}/singers/amy/back` }), expected: SELF_OR_KJ },
  { route: 'DELETE singer', request: (f) => ({ method: 'DELETE', path: `${f.r}/singers/amy` }), expected: SELF_OR_KJ },
  { route: 'POST move', request: (f) => ({ method: 'POST', path: `${f.r}/singers/amy/move`, body: { position: 1 } }), expected: KJ_ONLY },
  { route: 'POST turns (call next)', request: (f) => ({ method: 'POST', path: `${f.r}/turns` }), expected: { ...KJ_ONLY, owner: 201 } },
  { route: 'POST start', withTurn: true, request: (f) => ({ method: 'POST', path: `${f.r}/turns/${f.turnId}/start` }), expected: KJ_ONLY },
  { route: 'POST complete', withTurn: true, request: (f) => ({ method: 'POST', path: `${f.r}/turns/${f.turnId}/complete` }), expected: KJ_ONLY },
  { route: 'POST forfeit', withTurn: true, request: (f) => ({ method: 'POST', path: `${f.r}/turns/${f.turnId}/forfeit` }), expected: KJ_ONLY },
  { route: 'POST close', request: (f) => ({ method: 'POST', path: `${f.r}/close` }), expected: KJ_ONLY },
  { route: 'GET events', request: (f) => ({ method: 'GET', path: `${f.r}/events` }), expected: KJ_ONLY },
  { route: 'GET state', request: (f) => ({ method: 'GET', path: `${f.r}/state?seq=2` }), expected: KJ_ONLY },
  { route: 'GET history', request: () => ({ method: 'GET', path: '/singers/amy/history' }), expected: { owner: 200, otherKj: 200, self: 200, otherSinger: 403, none: 401 } },
  { route: 'PUT contact', request: () => ({ method: 'PUT', path: '/singers/amy/contact', body: { email: 'amy@example.com', channels: ['email'] } }), expected: { owner: 403, otherKj: 403, self: 200, otherSinger: 403, none: 401 } },
];

describe('who may do what (API.md), every route × every kind of caller', () => {
  it.each(MATRIX.map((cell) => [cell.route, cell] as const))('%s', async (_name, cell) => {
    const seen: Record<string, number> = {};
    for (const who of WHO) {
      const f = await fixture(api, cell.withTurn ?? false);
      const { method, path, body } = cell.request(f, who);
      const token = tokenFor(api, who);
      const response = await api.request(method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
      seen[who] = response.status;
      if (response.status >= 400) {
        expect(response.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      }
    }
    expect(seen).toEqual(cell.expected);
  });

  it('a forbidden command records nothing', async () => {
    const f = await fixture(api, false);
    const owner = api.token('kj-owner', 'kj');
    const before = (await api.request('GET', `${f.r}/events`, { token: owner })).body.events.length;
    await api.request('POST', `${f.r}/turns`, { token: api.token('kj-other', 'kj') });
    await api.request('DELETE', `${f.r}/singers/amy`, { token: api.token('bo', 'singer') });
    expect((await api.request('GET', `${f.r}/events`, { token: owner })).body.events).toHaveLength(before);
  });
});
