import { song, startTestApi } from '../support/api';

const api = startTestApi();

const openWithSinger = async () => {
  const kj = api.token('kj-idem', 'kj');
  const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Idem Inn', settings: { maxPendingSongs: 10 } } });
  const r = `/rotations/${opened.body.rotationId}`;
  await api.request('POST', `${r}/singers`, { token: api.token('amy', 'singer'), body: { displayName: 'Amy', song: song('First') } });
  return { kj, r };
};

const eventCount = async (r: string, kj: string) => (await api.request('GET', `${r}/events`, { token: kj })).body.events.length;

describe('Idempotency-Key', () => {
  it('the same key sent 50 times in parallel has one effect and every answer is the first one', async () => {
    const { kj, r } = await openWithSinger();
    const amy = api.token('amy', 'singer');
    const before = await eventCount(r, kj);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.request('POST', `${r}/singers/amy/songs`, { token: amy, body: song('Once'), headers: { 'Idempotency-Key': 'queue-once-1' } }),
      ),
    );
    expect(new Set(responses.map((x) => x.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((x) => JSON.stringify(x.body))).size).toBe(1);
    expect(responses.filter((x) => x.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    expect(await eventCount(r, kj)).toBe(before + 1);
    const queue = await api.request('GET', `${r}/queue`, { token: amy });
    expect(queue.body.singers[0].pendingSongs).toBe(2);
  });

  it('a retry after the first answer returns it again; a rejection is replayed too', async () => {
    const { kj, r } = await openWithSinger();
    const first = await api.request('POST', `${r}/turns`, { token: kj, headers: { 'Idempotency-Key': 'call-1' } });
    const again = await api.request('POST', `${r}/turns`, { token: kj, headers: { 'Idempotency-Key': 'call-1' } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const rejected = await api.request('POST', `${r}/turns`, { token: kj, headers: { 'Idempotency-Key': 'call-2' } });
    expect(rejected).toMatchObject({ status: 409, body: { error: { code: 'turn-in-progress' } } });
    await api.request('POST', `${r}/turns/${first.body.turnId}/complete`, { token: kj });
    // Now a call would succeed, but the key's first answer stands.
    expect(await api.request('POST', `${r}/turns`, { token: kj, headers: { 'Idempotency-Key': 'call-2' } })).toMatchObject({ status: 409 });
  });

  it('the same key with a different body is refused with 422 idempotency-key-reused and changes nothing', async () => {
    const { kj, r } = await openWithSinger();
    const amy = api.token('amy', 'singer');
    await api.request('POST', `${r}/singers/amy/songs`, { token: amy, body: song('A'), headers: { 'Idempotency-Key': 'k-1' } });
    const before = await eventCount(r, kj);
    const reused = await api.request('POST', `${r}/singers/amy/songs`, { token: amy, body: song('B'), headers: { 'Idempotency-Key': 'k-1' } });
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'idempotency-key-reused' } } });
    expect(await eventCount(r, kj)).toBe(before);
  });

  it('keys belong to their caller: two singers using the same key do not collide', async () => {
    const { kj, r } = await openWithSinger();
    await api.request('POST', `${r}/singers`, { token: api.token('bo', 'singer'), body: { displayName: 'Bo', song: song('Bo1') } });
    const a = await api.request('POST', `${r}/singers/amy/skip`, { token: api.token('amy', 'singer'), headers: { 'Idempotency-Key': 'same' } });
    const b = await api.request('POST', `${r}/singers/bo/skip`, { token: api.token('bo', 'singer'), headers: { 'Idempotency-Key': 'same' } });
    expect([a.status, b.status]).toEqual([200, 200]);
    const queue = await api.request('GET', `${r}/queue`, { token: kj });
    expect(queue.body.singers.map((s: { skipNext: boolean }) => s.skipNext)).toEqual([true, true]);
  });

  it('a malformed key is a 400', async () => {
    const { kj } = await openWithSinger();
    expect(await api.request('POST', '/rotations', { token: kj, body: { venue: 'x' }, headers: { 'Idempotency-Key': 'has space' } })).toMatchObject({ status: 400 });
  });
});
