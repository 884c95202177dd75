import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createDevTokens, DEV_TOKEN_ISSUER } from '../../src/local/devTokens';
import { createLiveTickets } from '../../src/local/liveTickets';
import { song, startTestApi } from '../support/api';

/** Odd input the API must refuse with a clear 400, and answers that must not leak or lie. */
const api = startTestApi();

let rotationId: string;
beforeAll(async () => {
  const opened = await api.request('POST', '/rotations', { token: api.token('kj-ann', 'kj'), body: { venue: 'Bar', settings: { autoAdvance: false } } });
  rotationId = opened.body.rotationId;
});

const HOSTILE_TEXT: [string, string][] = [
  ['an ANSI escape', 'Amy\u001b[2K\r#99 20:00:00 kj-ann (kj) closed the rotation'],
  ['a carriage return', 'Amy\rBo'],
  ['a NUL', 'Amy\u0000'],
  ['a C1 control', 'Amy\u009b31m'],
  ['a right-to-left override', 'Amy\u202Eevil'],
  ['a bidi isolate', 'Amy\u2067x\u2069'],
  ['a lone high surrogate', 'Amy\ud800'],
  ['a lone low surrogate', '\udc00Amy'],
  ['a tab', 'Amy\tBo'],
];

describe('strict text (API.md "Errors")', () => {
  it.each(HOSTILE_TEXT)('refuses a display name with %s: 400 naming the field', async (_what, name) => {
    const response = await api.request('POST', `/rotations/${rotationId}/singers`, { token: api.token('amy', 'singer'), body: { displayName: name, song: song('Jolene') } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid-request');
    expect(response.body.error.message).toMatch(/`displayName` must not contain control characters/);
  });

  it.each([
    ['song.title', (bad: string) => ({ displayName: 'Amy', song: { title: bad, artist: 'X' } })],
    ['song.artist', (bad: string) => ({ displayName: 'Amy', song: { title: 'X', artist: bad } })],
  ] as const)('refuses %s with a control character', async (field, body) => {
    const response = await api.request('POST', `/rotations/${rotationId}/singers`, { token: api.token('cy', 'singer'), body: body('X\u001b]0;owned\u0007') });
    expect([response.status, response.body.error.message]).toEqual([400, expect.stringContaining(`\`${field}\` must not contain`)]);
  });

  it('refuses a venue with a bidi override, and still takes ordinary non-ASCII text', async () => {
    const kj = api.token('kj-ann', 'kj');
    expect((await api.request('POST', '/rotations', { token: kj, body: { venue: 'Bar\u202E' } })).status).toBe(400);
    const fine = await api.request('POST', `/rotations/${rotationId}/singers`, { token: api.token('zoe', 'singer'), body: { displayName: 'Zoë 🎤 عربي', song: song('Café') } });
    expect(fine.status).toBe(201);
  });
});

describe('text that looks like JSON', () => {
  it('is taken as text, and the queue stays valid JSON with it on stage and in the upcoming list', async () => {
    const kj = api.token('kj-json', 'kj');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Bar":-0.6180339887498949', settings: { autoAdvance: false } } });
    const r = `/rotations/${opened.body.rotationId}`;
    const title = 'T":-0.6180339887498949';
    const name = 'bo":-0.7071067811865476';
    expect((await api.request('POST', `${r}/singers`, { token: api.token('amy', 'singer'), body: { displayName: 'Amy', song: { title, artist: 'A' } } })).status).toBe(201);
    expect((await api.request('POST', `${r}/singers`, { token: api.token('bo', 'singer'), body: { displayName: name, song: song('B') } })).status).toBe(201);
    expect((await api.request('POST', `${r}/singers`, { token: api.token('cy', 'singer'), body: { displayName: 'Cy', song: song('C') } })).status).toBe(201);
    expect((await api.request('POST', `${r}/turns`, { token: kj })).status).toBe(201);
    const queue = await api.request('GET', `${r}/queue`, { token: api.token('amy', 'singer') });
    expect(queue.status).toBe(200);
    expect(queue.body.current.song.title).toBe(title);
    expect(queue.body.upcoming.map((u: { displayName: string; turnsAway: number }) => [u.displayName, u.turnsAway])).toEqual([
      [name, 1],
      ['Cy', 2],
    ]);
  });
});

describe('strict RFC 3339 times', () => {
  it.each([
    ['an impossible date', '2026-02-30T00:00:00Z'],
    ['no zone (server-local time)', '2026-11-21T22:30:00'],
    ['hour 24', '2026-11-21T24:00:00Z'],
    ['a date only', '2026-11-21'],
    ['an offset out of range', '2026-11-21T22:30:00+25:00'],
  ])('refuses ?at= with %s', async (_what, at) => {
    const response = await api.request('GET', `/rotations/${rotationId}/state?at=${encodeURIComponent(at)}`, { token: api.token('kj-ann', 'kj') });
    expect([response.status, response.body.error.code]).toEqual([400, 'invalid-request']);
  });

  it('takes a real time with a zone or an offset, and they mean the same instant', async () => {
    const kj = api.token('kj-ann', 'kj');
    const future = new Date(Date.now() + 3_600_000);
    const zulu = future.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const offset = new Date(future.getTime() + 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+02:00');
    const a = await api.request('GET', `/rotations/${rotationId}/state?at=${encodeURIComponent(zulu)}`, { token: kj });
    const b = await api.request('GET', `/rotations/${rotationId}/state?at=${encodeURIComponent(offset)}`, { token: kj });
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });
});

describe('canonical tokens', () => {
  const secret = randomBytes(32);
  const tokens = createDevTokens(secret);
  // A token whose signature uses the URL-safe letters, so the standard alphabet spells it differently.
  const token = Array.from({ length: 200 }, (_, i) => tokens.issue({ sub: `amy${i}`, name: 'Amy', role: 'singer' })).find((t) => /[-_]/.test(t.split('.')[2]!))!;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // 32 bytes in 43 characters: the last one carries 2 unused bits, which a lenient decoder ignores.
  const strayBits = `${signature.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(signature.at(-1)!) ^ 1]}`;

  it('accepts the token as issued', () => {
    expect(tokens.verify(token)).toMatchObject({ sub: expect.stringMatching(/^amy/), iss: DEV_TOKEN_ISSUER });
  });

  it.each([
    ['a =-padded signature', `${header}.${payload}.${signature}=`],
    ['the standard alphabet', `${header}.${payload}.${Buffer.from(signature, 'base64url').toString('base64').replace(/=+$/, '')}`],
    ['stray trailing bits', `${header}.${payload}.${strayBits}`],
  ])('refuses %s', (_what, forged) => {
    expect(forged).not.toBe(token);
    // The same signature bytes, spelled another way.
    expect(Buffer.from(forged.split('.')[2]!, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(tokens.verify(forged)).toBeNull();
  });

  it('refuses a correctly signed token from another issuer, or with none', () => {
    const sign = (claims: object) => {
      const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
    };
    const exp = Math.floor(Date.now() / 1000) + 600;
    expect(tokens.verify(sign({ sub: 'amy', 'cognito:groups': ['kj'], exp, iss: DEV_TOKEN_ISSUER }))).not.toBeNull();
    expect(tokens.verify(sign({ sub: 'amy', 'cognito:groups': ['kj'], exp, iss: 'someone-else' }))).toBeNull();
    expect(tokens.verify(sign({ sub: 'amy', 'cognito:groups': ['kj'], exp }))).toBeNull();
  });

  it('refuses a live ticket whose signature is padded', () => {
    const tickets = createLiveTickets(secret);
    const { ticket } = tickets.issue('night-1');
    expect(tickets.verify(ticket, 'night-1')).toBe('valid');
    expect(tickets.verify(`${ticket}=`, 'night-1')).toBe('invalid');
  });
});

describe('413 closes the connection', () => {
  it('says Connection: close, and the client’s next request goes out on a fresh connection and succeeds', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; connection: string | undefined; socket: unknown }>((resolve, reject) => {
        const req = httpRequest(`${api.url}/rotations`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token('kj-ann', 'kj')}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, socket: req.socket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const tooBig = await send(JSON.stringify({ venue: 'x'.repeat(20_000) }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.connection).toBe('close');
    const next = await send(JSON.stringify({ venue: 'Next Bar' }));
    expect(next.status).toBe(201);
    expect(next.socket).not.toBe(tooBig.socket);
    agent.destroy();
  });
});

describe('contact answers', () => {
  it('never echo the phone or email, so the idempotency record holds neither', async () => {
    const phone = '+15557654321';
    const email = 'secret-amy@example.com';
    const response = await api.request('PUT', '/singers/amy/contact', {
      token: api.token('amy', 'singer'),
      body: { phone, email, channels: ['sms', 'email'] },
      headers: { 'Idempotency-Key': 'contact-1' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ singerId: 'amy', channels: ['sms', 'email'], phone: true, email: true });
    const { dynamo } = api.engine;
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableNames.idempotency }));
    expect(Items.length).toBeGreaterThan(0);
    const stored = JSON.stringify(Items);
    expect(stored).not.toContain(phone);
    expect(stored).not.toContain(email);
    // The replay answers the same, still without them.
    const replay = await api.request('PUT', '/singers/amy/contact', {
      token: api.token('amy', 'singer'),
      body: { phone, email, channels: ['sms', 'email'] },
      headers: { 'Idempotency-Key': 'contact-1' },
    });
    expect(replay.body).toEqual(response.body);
  });
});
