import { createDynamoBookStore } from '../../src/songbook/bookStore';
import { bookSongIdOf } from '../../src/songbook/songs';
import { startTestApi } from '../support/api';

/** API.md "The songbook", against the whole engine: real HTTP, real dynalite. */
const api = startTestApi();

const CSV = [
  'title,artist,key,ref',
  'Jolene,Dolly Parton,,SC8125-03',
  '9 to 5,Dolly Parton,,',
  'Valerie,Amy Winehouse,-2,',
  'Halo,Beyoncé,,',
  'jolene,DOLLY PARTON,,',
  '"Broken,Quote,,',
  `${'y'.repeat(300)},Long,,`,
].join('\n');

const putCsv = (token: string, body: string, headers: Record<string, string> = {}) =>
  api.request('PUT', '/songbook', { token, body, headers: { 'content-type': 'text/csv', ...headers } });

describe('the songbook (API.md)', () => {
  const kj = () => api.token('kj-book', 'kj', 'Ann');
  const amy = () => api.token('amy-book', 'singer', 'Amy');
  const jolene = bookSongIdOf({ title: 'Jolene', artist: 'Dolly Parton' });

  it('imports a CSV, reporting the lines left out and why', async () => {
    const imported = await putCsv(kj(), CSV);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      count: 4,
      skipped: [
        { line: 6, reason: 'duplicate of line 2 (same title and artist)' },
        { line: 7, reason: expect.stringMatching(/^malformed/) },
        { line: 8, reason: 'over-long title' },
      ],
      skippedTotal: 3,
    });
    const page = await api.request('GET', '/songbook?limit=2', { token: kj() });
    expect(page.body).toEqual({ total: 4, songs: [{ bookSongId: jolene, title: 'Jolene', artist: 'Dolly Parton', ref: 'SC8125-03' }, expect.objectContaining({ title: '9 to 5' })] });
    // Importing the same file again changes nothing a singer holds: the same songs, the same ids.
    expect((await putCsv(kj(), CSV)).body.count).toBe(4);
    expect((await api.request('GET', '/songbook?q=jolene', { token: kj() })).body.songs[0].bookSongId).toBe(jolene);
    // A file with no usable song is refused and the book stays as it was.
    const empty = await putCsv(kj(), 'title,artist\n');
    expect([empty.status, empty.body.error.code]).toEqual([400, 'invalid-songbook-file']);
    expect(empty.body.error.message).toMatch(/Your songbook is unchanged/);
    expect((await api.request('GET', '/songbook?q=jolene', { token: kj() })).body.songs[0].bookSongId).toBe(jolene);
  });

  it('reads a file in the charset it names, and a non-UTF-8 file naming none as Windows-1252 (Excel’s CSV)', async () => {
    const other = api.token('kj-charset', 'kj');
    const put = (bytes: Buffer, contentType: string) =>
      fetch(`${api.url}/songbook`, { method: 'PUT', headers: { authorization: `Bearer ${other}`, 'content-type': contentType }, body: bytes }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as any }),
      );
    const titles = async () => (await api.request('GET', '/songbook', { token: other })).body.songs.map((s: { title: string }) => s.title);
    const latin1 = Buffer.from('title,artist\nCaf\xe9 del Mar,Energy 52\n', 'latin1');
    expect((await put(latin1, 'text/csv')).status).toBe(200);
    expect(await titles()).toEqual(['Café del Mar']);
    expect((await put(Buffer.from('title,artist\nCr\xe8me,Band\n', 'latin1'), 'text/csv; charset=iso-8859-1')).status).toBe(200);
    expect(await titles()).toEqual(['Crème']);
    expect((await put(Buffer.from('title,artist\nNaïve,Band\n', 'utf8'), 'text/csv; charset=utf-8')).status).toBe(200);
    expect(await titles()).toEqual(['Naïve']);
    const unknown = await put(latin1, 'text/csv; charset=klingon');
    expect([unknown.status, unknown.body.error.code]).toEqual([415, 'unsupported-media-type']);
    expect(await titles()).toEqual(['Naïve']);
  });

  it('imports JSON, and refuses what is not a songbook', async () => {
    const other = api.token('kj-json', 'kj');
    const json = await api.request('PUT', '/songbook', { token: other, body: { songs: [{ title: 'Respect', artist: 'Aretha Franklin', key: 1 }, { title: '' }] } });
    expect(json.body).toEqual({ count: 1, skipped: [{ line: 2, reason: 'missing title' }], skippedTotal: 1 });
    expect((await putCsv(other, 'name,singer\nA,B')).body.error.code).toBe('invalid-songbook-file');
    const xml = await api.request('PUT', '/songbook', { token: other, body: '<songs/>', headers: { 'content-type': 'application/xml' } });
    expect([xml.status, xml.body.error.code]).toEqual([415, 'unsupported-media-type']);
    expect((await putCsv(amy(), CSV)).status).toBe(403);
  });

  it('adds, edits and deletes single songs', async () => {
    const added = await api.request('POST', '/songbook/songs', { token: kj(), body: { title: 'Respect', artist: 'Aretha Franklin', key: 2 } });
    expect(added.status).toBe(201);
    const id = added.body.bookSongId as string;
    expect((await api.request('POST', '/songbook/songs', { token: kj(), body: { title: 'RESPECT', artist: 'aretha franklin' } })).body.error.code).toBe(
      'song-already-in-songbook',
    );
    expect((await api.request('PUT', `/songbook/songs/${id}`, { token: kj(), body: { title: 'Respect (Live)', artist: 'Aretha Franklin' } })).status).toBe(200);
    expect((await api.request('GET', '/songbook?q=respect%20live', { token: kj() })).body.songs).toEqual([{ bookSongId: id, title: 'Respect (Live)', artist: 'Aretha Franklin' }]);
    expect((await api.request('DELETE', `/songbook/songs/${id}`, { token: kj() })).status).toBe(200);
    expect((await api.request('GET', '/songbook?q=respect', { token: kj() })).body).toEqual({ songs: [], total: 0 });
    expect((await api.request('DELETE', `/songbook/songs/${id}`, { token: kj() })).status).toBe(404);
    expect((await api.request('PUT', '/songbook/songs/constructor', { token: kj(), body: { title: 'A', artist: 'B' } })).status).toBe(404);
  });

  it('lets a singer search the rotation’s book, join and queue by bookSongId; requests alone make nothing popular', async () => {
    const { rotationId } = (await api.request('POST', '/rotations', { token: kj(), body: { venue: 'Book Bar', settings: { autoAdvance: false } } })).body;
    const r = `/rotations/${rotationId}`;
    const found = await api.request('GET', `${r}/songbook?q=${encodeURIComponent('dolly jol')}`, { token: amy() });
    expect(found.body.songs[0]).toEqual({ bookSongId: jolene, title: 'Jolene', artist: 'Dolly Parton' });
    expect((await api.request('GET', `${r}/songbook?q=beyonce`, { token: amy() })).body.songs.map((s: { title: string }) => s.title)).toEqual(['Halo']);
    expect((await api.request('GET', `${r}/songbook?q=valery`, { token: amy() })).body.songs.map((s: { title: string }) => s.title)).toEqual(['Valerie']);

    const joined = await api.request('POST', `${r}/singers`, { token: amy(), body: { displayName: 'Amy', song: { bookSongId: jolene } } });
    expect(joined.status).toBe(201);
    const valerie = bookSongIdOf({ title: 'Valerie', artist: 'Amy Winehouse' });
    expect((await api.request('POST', `${r}/singers/amy-book/songs`, { token: amy(), body: { bookSongId: valerie } })).status).toBe(201);
    const unknown = await api.request('POST', `${r}/singers/amy-book/songs`, { token: amy(), body: { bookSongId: 'nope' } });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'song-not-in-songbook']);
    const forged = await api.request('POST', `${r}/singers/amy-book/songs`, { token: amy(), body: { title: 'X', artist: 'Y', bookSongId: jolene } });
    expect(forged.status).toBe(400);

    const events = (await api.request('GET', `${r}/events`, { token: kj() })).body.events;
    expect(events.find((e: { type: string }) => e.type === 'SingerJoined').data).toMatchObject({ song: { title: 'Jolene', artist: 'Dolly Parton' }, bookSongId: jolene });
    expect(events.find((e: { type: string }) => e.type === 'SongQueued').data).toMatchObject({ song: { title: 'Valerie', artist: 'Amy Winehouse', key: -2 }, bookSongId: valerie });
    const queue = (await api.request('GET', `${r}/queue`, { token: amy() })).body;
    expect(queue.upcoming[0].song).toEqual({ title: 'Jolene', artist: 'Dolly Parton' });

    // Requests alone make nothing popular: only what is sung counts.
    const popularAt = async (path: string) => (await api.request('GET', `${path}/songbook/popular`, { token: amy() })).body.songs;
    expect(await popularAt(r)).toEqual([]);
  });

  it('counts a book song as popular at a venue once it is sung there, not when it is requested or forfeited', async () => {
    const bo = () => api.token('bo-book', 'singer', 'Bo');
    const valerie = bookSongIdOf({ title: 'Valerie', artist: 'Amy Winehouse' });
    const popularAt = async (path: string) => (await api.request('GET', `${path}/songbook/popular`, { token: amy() })).body.songs;
    const night = async (venue: string) => {
      const { rotationId } = (await api.request('POST', '/rotations', { token: kj(), body: { venue, settings: { autoAdvance: false } } })).body;
      return `/rotations/${rotationId}`;
    };
    const turn = async (r: string, ...actions: ('start' | 'complete' | 'forfeit')[]) => {
      const called = await api.request('POST', `${r}/turns`, { token: kj() });
      expect(called.status).toBe(201);
      for (const action of actions) expect((await api.request('POST', `${r}/turns/${called.body.turnId}/${action}`, { token: kj() })).status).toBe(200);
      return called.body;
    };

    const r = await night('The Pop Bar');
    // Both ask for Jolene; Amy sings it, Bo does not show up. Amy's Valerie is never called.
    expect((await api.request('POST', `${r}/singers`, { token: amy(), body: { displayName: 'Amy', song: { bookSongId: jolene } } })).status).toBe(201);
    expect((await api.request('POST', `${r}/singers/amy-book/songs`, { token: amy(), body: { bookSongId: valerie } })).status).toBe(201);
    expect((await api.request('POST', `${r}/singers`, { token: bo(), body: { displayName: 'Bo', song: { bookSongId: jolene } } })).status).toBe(201);
    expect(await popularAt(r)).toEqual([]);
    expect((await turn(r, 'start', 'complete')).singerId).toBe('amy-book');
    expect((await turn(r, 'forfeit')).singerId).toBe('bo-book');
    expect(await popularAt(r)).toEqual([{ bookSongId: jolene, title: 'Jolene', artist: 'Dolly Parton', requests: 1 }]);

    // Another night at the same venue (spelt differently) adds to it; another venue has its own counts.
    const again = await night('the pop bar');
    expect((await api.request('POST', `${again}/singers`, { token: bo(), body: { displayName: 'Bo', song: { bookSongId: jolene } } })).status).toBe(201);
    await turn(again, 'start', 'complete');
    expect(await popularAt(r)).toEqual([expect.objectContaining({ bookSongId: jolene, requests: 2 })]);
    const elsewhere = await night('Elsewhere');
    expect(await popularAt(elsewhere)).toEqual([]);
  });

  it('refuses free-text songs with 422 on a rotation that takes songs from the book only', async () => {
    const { rotationId } = (await api.request('POST', '/rotations', { token: kj(), body: { venue: 'Strict Bar', settings: { songsFromBookOnly: true, autoAdvance: false } } })).body;
    const r = `/rotations/${rotationId}`;
    const free = await api.request('POST', `${r}/singers`, { token: amy(), body: { displayName: 'Amy', song: { title: 'My Own Song', artist: 'Me' } } });
    expect([free.status, free.body.error.code]).toEqual([422, 'song-not-in-songbook']);
    expect((await api.request('POST', `${r}/singers`, { token: amy(), body: { displayName: 'Amy', song: { bookSongId: jolene } } })).status).toBe(201);
    const queued = await api.request('POST', `${r}/singers/amy-book/songs`, { token: amy(), body: { title: 'Free', artist: 'Text' } });
    expect([queued.status, queued.body.error.code]).toEqual([422, 'song-not-in-songbook']);
  });

  it('a search never sees half a book: a reader in another process reads the old book or the new one, whole', async () => {
    const { client, tableNames } = api.engine.dynamo;
    const writer = createDynamoBookStore({ client, tableName: tableNames.songbook });
    const reader = createDynamoBookStore({ client, tableName: tableNames.songbook });
    const bookOf = (name: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ title: `${name} song ${i} ${'x'.repeat(120)}`, artist: `${name} band`, bookSongId: `${name}-${i}` }));
    const small = bookOf('small', 1500);
    const large = bookOf('large', 4000);
    await writer.replace('kj-atomic', small, new Date().toISOString());
    let importing = true;
    const imports = (async () => {
      for (const book of [large, small, large]) await writer.replace('kj-atomic', book, new Date().toISOString());
      importing = false;
    })();
    while (importing) {
      const { songs } = await reader.load('kj-atomic');
      const names = new Set(songs.map((s) => s.artist));
      expect(names.size).toBe(1);
      expect(songs.length).toBe(names.has('small band') ? 1500 : 4000);
    }
    await imports;
    expect((await reader.load('kj-atomic')).songs.length).toBe(4000);
  });
});
