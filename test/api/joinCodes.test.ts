import { createDynamoJoinCodes, normalizeJoinCode, joinCodeFor, UNOPENED_CLAIM_GRACE_MS, claimStillInUse } from '../../src/api/joinCodes';
import { JOIN_CODE_PATTERN } from '../../src/api/contract/venueSchemas';
import { JOIN_MISSES_PER_MINUTE } from '../../src/api/routes/publicVenueRoutes';
import { song, startTestApi } from '../support/api';
import { withEmbeddedDynamo } from '../support/dynamo';

/** API.md "Joining by code": a short code per open rotation, looked up and redirected to with no sign-in. */
const api = startTestApi();
const dynamo = withEmbeddedDynamo();

const open = async (venue: string) => {
  const kj = api.token('kj-codes', 'kj');
  const opened = await api.request('POST', '/rotations', { token: kj, body: { venue } });
  expect(opened.status).toBe(201);
  return { kj, rotationId: opened.body.rotationId as string, joinCode: opened.body.joinCode as string };
};

describe('join codes over HTTP', () => {
  it('gives every rotation a 5-character code without look-alikes, in the answer and the queue view', async () => {
    const { kj, rotationId, joinCode } = await open('Code Bar');
    expect(joinCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$/);
    const view = await api.request('GET', `/rotations/${rotationId}/queue`, { token: kj });
    expect(view.body.joinCode).toBe(joinCode);
    const events = await api.request('GET', `/rotations/${rotationId}/events`, { token: kj });
    expect(events.body.events[0].data.joinCode).toBe(joinCode); // the log says which code the night had
  });

  it('looks a code up with no token, as typed (any case, spaces, dashes), until the rotation closes', async () => {
    const { kj, rotationId, joinCode } = await open('Lookup Bar');
    const typed = `${joinCode.slice(0, 2).toLowerCase()}-${joinCode.slice(2)}`;
    expect(await api.request('GET', `/join/${encodeURIComponent(typed)}`)).toMatchObject({ status: 200, body: { rotationId, venue: 'Lookup Bar' } });

    const redirect = await fetch(`${api.url}/j/${joinCode}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`${api.engine.publicUrl}/singer.html?rotation=${rotationId}`);

    await api.request('POST', `/rotations/${rotationId}/singers`, { token: api.token('amy', 'singer'), body: { displayName: 'Amy', song: song('One') } });
    expect((await api.request('POST', `/rotations/${rotationId}/close`, { token: kj })).status).toBe(200);
    const closed = await api.request('GET', `/join/${joinCode}`);
    expect(closed.status).toBe(404);
    expect(closed.body.error.code).toBe('not-found');
    const gone = await fetch(`${api.url}/j/${joinCode}`, { redirect: 'manual' });
    expect(gone.headers.get('location')).toBe(`${api.engine.publicUrl}/singer.html?code=${joinCode}`);
  });

  it('finds the code typed on a Cyrillic, Greek or full-width keyboard, with any kind of dash', async () => {
    const { rotationId, joinCode } = await open('Keyboard Bar');
    // Each Latin letter of the screen as its look-alike where there is one; digits full-width.
    const cyrillic: Record<string, string> = { A: 'А', B: 'В', E: 'Е', K: 'к', M: 'М', H: 'Н', P: 'р', C: 'С', T: 'Т', Y: 'У', X: 'Х' };
    const greek: Record<string, string> = { A: 'Α', B: 'β', E: 'Ε', Z: 'Ζ', H: 'Η', K: 'Κ', M: 'Μ', N: 'Ν', P: 'Ρ', T: 'Τ', Y: 'Υ', X: 'Χ' };
    const fullWidth = (ch: string) => String.fromCodePoint(ch.codePointAt(0)! - 0x21 + 0xff01);
    const typedWith = (map: Record<string, string>) => [...joinCode].map((ch) => map[ch] ?? fullWidth(ch)).join('');
    for (const typed of [typedWith(cyrillic), typedWith(greek), `${joinCode.slice(0, 2)}\u2010${joinCode.slice(2)}`, `${joinCode.slice(0, 3)}\u2013${joinCode.slice(3)}`]) {
      const found = await api.request('GET', `/join/${encodeURIComponent(typed)}`);
      expect([typed, found.status, found.body.rotationId]).toEqual([typed, 200, rotationId]);
    }
    // The review's example, on a keyboard that has no Latin letters at all.
    expect(normalizeJoinCode('3ВР4Т')).toBe('3BP4T');
    expect(normalizeJoinCode('３ＢＰ４Ｔ')).toBe('3BP4T');
  });

  it(`answers 429 with Retry-After past ${JOIN_MISSES_PER_MINUTE} wrong codes a minute from one address`, async () => {
    const { joinCode } = await open('Sweep Bar');
    let last = await api.request('GET', '/join/ZZZZZ');
    for (let i = 0; i < JOIN_MISSES_PER_MINUTE + 1 && last.status === 404; i++) last = await api.request('GET', `/join/${joinCodeFor('no-such-rotation', i)}`);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Now even a right code waits: a sweep cannot go on by mixing in a known one.
    expect((await api.request('GET', `/join/${joinCode}`)).status).toBe(429);
    expect((await fetch(`${api.url}/j/${joinCode}`, { redirect: 'manual' })).status).toBe(429);
  });
});

describe('claiming codes', () => {
  const at = '2026-12-02T20:00:00.000Z';
  const later = (ms: number) => new Date(Date.parse(at) + ms).toISOString();

  it('never gives an open rotation’s code to another, and takes over the code of a closed one', async () => {
    const codes = createDynamoJoinCodes({ client: dynamo.client, tableName: dynamo.tableNames.joinCodes, newCode: () => 'KKKKK' });
    expect(await codes.claim({ rotationId: 'r1', venue: 'One', now: at }, async () => true)).toBe('KKKKK');
    await expect(codes.claim({ rotationId: 'r2', venue: 'Two', now: at }, async () => true)).rejects.toThrow('No free join code');
    expect((await codes.find('KKKKK'))?.rotationId).toBe('r1');
    expect(await codes.claim({ rotationId: 'r2', venue: 'Two', now: at }, async (held) => held.rotationId !== 'r1')).toBe('KKKKK');
    expect((await codes.find('KKKKK'))?.rotationId).toBe('r2');
    await codes.release('KKKKK', 'r1'); // r1's release, late: r2 keeps the code
    expect((await codes.find('KKKKK'))?.rotationId).toBe('r2');
    await codes.release('KKKKK', 'r2');
    expect(await codes.find('KKKKK')).toBeNull();
  });

  it('counts a claim with no rotation behind it as in use only while it may still be opening', async () => {
    const claim = { code: 'KKKKK', rotationId: 'r9', venue: 'Nine', claimedAt: at };
    const inUse = (status: 'open' | 'closed' | null, now: string) => claimStillInUse(async () => status, () => now)(claim);
    expect(await inUse('open', later(10 * UNOPENED_CLAIM_GRACE_MS))).toBe(true);
    expect(await inUse('closed', at)).toBe(false);
    expect(await inUse(null, later(1000))).toBe(true);
    expect(await inUse(null, later(UNOPENED_CLAIM_GRACE_MS))).toBe(false);
  });

  it('reads typed codes forgivingly and refuses what cannot be one', () => {
    expect(normalizeJoinCode(' k7qm4 ')).toBe('K7QM4');
    expect(normalizeJoinCode('K7-QM4')).toBe('K7QM4');
    for (const bad of ['K7QM', 'K7QM44', 'O7QM4', 'I7QM4', 'L7QM4', '17QM4', '07QM4', '']) expect(normalizeJoinCode(bad)).toBeNull();
    for (let i = 0; i < 200; i++) expect(joinCodeFor(`rotation-${i}`, i % 3)).toMatch(JOIN_CODE_PATTERN);
  });
});
