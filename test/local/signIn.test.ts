import { PageConfig } from '../../src/api/pageConfig';
import { GUEST_SIGN_INS_PER_MINUTE, LOCAL_KJ_ID } from '../../src/local/authRoutes';
import { song, startTestApi } from '../support/api';

/** API.md "Signing in on one machine": identities made by the server, the KJ by passphrase, both rate-limited. */
const api = startTestApi();

const guest = (name: string, token?: string) => api.request('POST', '/auth/guest', { body: { name }, ...(token ? { token } : {}) });
const kj = (passphrase: string) => api.request('POST', '/auth/kj', { body: { name: 'Kim', passphrase } });

describe('POST /auth/guest', () => {
  it('makes a new random singer id for each new device, and keeps it for the token sent along', async () => {
    const first = await guest('Amy');
    expect(first.status).toBe(200);
    expect(first.body.singerId).toMatch(/^singer-[A-Za-z0-9_-]{12}$/);
    const other = await guest('Amy');
    expect(other.body.singerId).not.toBe(first.body.singerId);

    const again = await guest('Amy B.', first.body.token);
    expect(again.body.singerId).toBe(first.body.singerId);
    // A KJ's token or a forged one does not carry over: a fresh singer instead.
    const fromKj = await guest('Sneaky', api.token('kj-doc', 'kj'));
    expect(fromKj.body.singerId).toMatch(/^singer-/);
    expect((await guest('Forged', `${first.body.token}x`)).body.singerId).not.toBe(first.body.singerId);
  });

  it('refuses a caller that tries to choose its id', async () => {
    for (const extra of [{ singerId: 'amy' }, { sub: 'amy' }, { role: 'kj' }]) {
      const refused = await api.request('POST', '/auth/guest', { body: { name: 'Amy', ...extra } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid-request');
    }
  });

  it('signs in a singer who can act for themselves and for nobody else', async () => {
    const opened = await api.request('POST', '/rotations', { token: (await kj(api.engine.passphrase.current())).body.token, body: { venue: 'Guest Bar' } });
    const rotationId = opened.body.rotationId as string;
    const amy = (await guest('Amy')).body;
    const bo = (await guest('Bo')).body;
    const joined = await api.request('POST', `/rotations/${rotationId}/singers`, { token: amy.token, body: { displayName: 'Amy', song: song('One') } });
    expect(joined.status).toBe(201);
    expect(joined.body.singerId).toBe(amy.singerId);
    const skipForAmy = await api.request('POST', `/rotations/${rotationId}/singers/${amy.singerId}/skip`, { token: bo.token });
    expect(skipForAmy.status).toBe(403);
    const contactForAmy = await api.request('PUT', `/singers/${amy.singerId}/contact`, { token: bo.token, body: { channels: [] } });
    expect(contactForAmy.status).toBe(403);
    const openAsGuest = await api.request('POST', '/rotations', { token: bo.token, body: { venue: 'Mine now' } });
    expect(openAsGuest.status).toBe(403);
  });

  it(`answers 429 with Retry-After past ${GUEST_SIGN_INS_PER_MINUTE} sign-ins a minute from one address`, async () => {
    // The tests above signed in from this address too: keep going until the limit shows.
    let last = await guest('Flood');
    for (let i = 0; i < GUEST_SIGN_INS_PER_MINUTE && last.status === 200; i++) last = await guest('Flood');
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('too-many-requests');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('POST /auth/kj', () => {
  it('signs in the KJ with the passphrase; a wrong one is 401; the sixth wrong one in a minute is 429', async () => {
    const right = await kj(api.engine.passphrase.current().toLowerCase()); // case does not count
    expect(right.status).toBe(200);
    expect(right.body.kjId).toBe(LOCAL_KJ_ID);
    expect((await api.request('POST', '/rotations', { token: right.body.token, body: { venue: 'KJ Bar' } })).status).toBe(201);

    for (let i = 1; i <= 5; i++) {
      const wrong = await kj(`WRONG-${i}`);
      expect([i, wrong.status, wrong.body.error.code]).toEqual([i, 401, 'unauthorized']);
    }
    const sixth = await kj('WRONG-6');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Past the limit even the right passphrase waits: guessing on gains nothing.
    expect((await kj(api.engine.passphrase.current())).status).toBe(429);
  });

  it('says in words what is wrong with a passphrase that is not text, before counting it as a try', async () => {
    for (const [passphrase, got] of [[5, 'a number'], [null, 'null'], ['', 'blank text'], ['x'.repeat(201), 'text of 201 characters']] as const) {
      const refused = await api.request('POST', '/auth/kj', { body: { name: 'Kim', passphrase } });
      expect([refused.status, refused.body.error]).toEqual([400, { code: 'invalid-request', message: `\`passphrase\` must be text of 1–200 characters (got ${got}).` }]);
    }
    const missing = await api.request('POST', '/auth/kj', { body: { name: 'Kim' } });
    expect(missing.body.error.message).toBe('`passphrase` is required.');
  });
});

describe('GET /config', () => {
  it('tells the pages to use the local sign-in and SSE, with no token', async () => {
    const config = await api.request('GET', '/config');
    expect(config.status).toBe(200);
    expect(PageConfig.parse(config.body)).toEqual({ mode: 'local', signIn: 'local', live: 'sse', publicUrl: api.url });
  });
});
