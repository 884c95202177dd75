import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { API_ROUTES } from '../../src/api/routes';
import { song, startTestApi } from '../support/api';

/**
 * Every route, fuzzed with what attackers send: prototype-named keys and ids, deeply nested and huge JSON,
 * control characters in text, and odd methods. Never a 5xx; every error in the one shape; text with a
 * control character, bidi override or lone surrogate is a 400 naming the field.
 */
jest.setTimeout(240_000);
const api = startTestApi();

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const UNSAFE_CHARS = ['\u0000', '\u0007', '\u001b', '\r', '\n', '\u007f', '\u0085', '\u009b', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800', '\udfff'];
const ODD_METHODS = ['PATCH', 'OPTIONS', 'PROPFIND', 'PURGE', 'MKCOL', 'LOCK', 'SEARCH', 'REPORT'];

interface Ids {
  readonly r: string;
  readonly turn: string;
  readonly songId: string;
}

/** Every route the engine serves: the API's, the live ticket route, the local sign-in. */
const ROUTES: { method: string; path: string; as: 'kj' | 'amy' }[] = [
  ...API_ROUTES.map((r) => ({ method: r.method, path: r.path, as: (r.roles.includes('singer') ? 'amy' : 'kj') as 'kj' | 'amy' })),
  { method: 'POST', path: '/rotations/:rotationId/live-tickets', as: 'amy' },
  { method: 'GET', path: '/rotations/:rotationId/live', as: 'amy' },
  { method: 'POST', path: '/dev/token', as: 'amy' },
];

/** A valid body for the routes that take one, with the paths of its text fields. */
const BODIES: Record<string, { body: Record<string, unknown>; text: string[][] }> = {
  'POST /rotations': { body: { venue: 'Fuzz Bar', settings: { autoAdvance: false } }, text: [['venue']] },
  'POST /rotations/:rotationId/singers': { body: { displayName: 'Amy', song: song('Fuzz') }, text: [['displayName'], ['song', 'title'], ['song', 'artist']] },
  'POST /rotations/:rotationId/singers/:singerId/songs': { body: song('Fuzz'), text: [['title'], ['artist']] },
  'POST /rotations/:rotationId/singers/:singerId/move': { body: { position: 0 }, text: [] },
  'PUT /singers/:singerId/contact': { body: { email: 'amy@example.com', channels: ['email'] }, text: [] },
  'POST /dev/token': { body: { sub: 'fuzz', name: 'Fuzz', role: 'singer' }, text: [] },
};

const fill = (path: string, ids: Ids, override?: string) =>
  path
    .replace(':rotationId', override ?? ids.r)
    .replace(':singerId', override ?? 'amy')
    .replace(':songId', override ?? ids.songId)
    .replace(':turnId', override ?? ids.turn);

const deepJson = (depth: number, kind: 'array' | 'object') => (kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

type Attack =
  | { kind: 'protoKey'; name: string; value: unknown }
  | { kind: 'protoId'; name: string }
  | { kind: 'deep'; depth: number; shape: 'array' | 'object' }
  | { kind: 'huge'; size: number }
  | { kind: 'manyKeys'; count: number }
  | { kind: 'unsafeText'; pick: number; char: string; at: number }
  | { kind: 'oddMethod'; method: string };

const attack: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({ kind: fc.constant('protoKey' as const), name: fc.constantFrom(...PROTO_NAMES), value: fc.oneof(fc.constant({ admin: true }), fc.constant(null), fc.integer(), fc.constant({ toString: 1 })) }),
  fc.record({ kind: fc.constant('protoId' as const), name: fc.constantFrom(...PROTO_NAMES.filter((n) => /^[A-Za-z0-9]/.test(n))) }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 100, max: 3_000 }), shape: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 17_000, max: 300_000 }) }),
  fc.record({ kind: fc.constant('manyKeys' as const), count: fc.integer({ min: 100, max: 1_500 }) }),
  fc.record({ kind: fc.constant('unsafeText' as const), pick: fc.nat(), char: fc.constantFrom(...UNSAFE_CHARS), at: fc.nat() }),
  fc.record({ kind: fc.constant('oddMethod' as const), method: fc.constantFrom(...ODD_METHODS) }),
);

interface Sent {
  readonly status: number;
  readonly text: string;
}

/** node:http, because fetch refuses some methods and bodies on GET. */
const send = (method: string, path: string, body: string | undefined, token: string | undefined): Promise<Sent> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(`${api.url}${path}`, {
      method,
      agent: false,
      timeout: 10_000,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: 413, text: '' }) : reject(err)));
    req.end(body);
  });

describe('hostile fuzz of every route', () => {
  it('never a 5xx, always the error shape, and unsafe text is a 400 naming its field', async () => {
    const kj = api.token('kj-fuzz', 'kj');
    const amy = api.token('amy', 'singer');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Fuzz Bar', settings: { autoAdvance: false, maxPendingSongs: 10 } } });
    const r = opened.body.rotationId as string;
    await api.request('POST', `/rotations/${r}/singers`, { token: amy, body: { displayName: 'Amy', song: song('a1') } });
    const songId = (await api.request('POST', `/rotations/${r}/singers/amy/songs`, { token: amy, body: song('a2') })).body.songId;
    const turn = (await api.request('POST', `/rotations/${r}/turns`, { token: kj })).body.turnId;
    const ids = { r, turn, songId };
    const tokens = { kj, amy };
    const seen = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), attack, async (route, a) => {
        const known = BODIES[`${route.method} ${route.path}`];
        let method = route.method;
        let path = fill(route.path, ids);
        let body: string | undefined = route.method === 'GET' ? undefined : JSON.stringify(known?.body ?? {});
        let mustRefuseText: string | undefined;
        switch (a.kind) {
          case 'protoKey':
            if (body === undefined) return;
            // Raw JSON, so `__proto__` arrives as an own key the way an attacker sends it.
            body = `{${JSON.stringify(a.name)}:${JSON.stringify(a.value)}${body === '{}' ? '' : `,${body.slice(1, -1)}`}}`;
            break;
          case 'protoId':
            if (!route.path.includes(':')) return;
            path = fill(route.path, ids, a.name);
            break;
          case 'deep':
            if (body === undefined) return;
            body = deepJson(a.depth, a.shape);
            break;
          case 'huge':
            if (body === undefined) return;
            body = JSON.stringify({ ...(known?.body ?? {}), padding: 'x'.repeat(a.size) });
            break;
          case 'manyKeys':
            if (body === undefined) return;
            body = JSON.stringify(Object.fromEntries(Array.from({ length: a.count }, (_, i) => [`k${i}`, i])));
            break;
          case 'unsafeText': {
            if (!known || known.text.length === 0) return;
            const field = known.text[a.pick % known.text.length]!;
            const copy = structuredClone(known.body) as Record<string, any>;
            let holder = copy;
            for (const key of field.slice(0, -1)) holder = holder[key];
            const last = field.at(-1)!;
            const value = String(holder[last]);
            const at = a.at % (value.length + 1);
            holder[last] = `${value.slice(0, at)}${a.char}${value.slice(at)}`;
            body = JSON.stringify(copy);
            mustRefuseText = last; // named by its path (`song.title`), which ends in the field's own name
            break;
          }
          case 'oddMethod':
            method = a.method;
            break;
        }
        const described = `${method} ${path} ${body?.slice(0, 120)}`;
        const { status, text } = await send(method, path, body, route.path === '/dev/token' ? undefined : tokens[route.as]);
        seen.set(a.kind, (seen.get(a.kind) ?? 0) + 1);
        if (status >= 500) throw new Error(`${described} → ${status} ${text.slice(0, 300)}`);
        if (mustRefuseText !== undefined) {
          expect([status, text]).toEqual([400, expect.stringMatching(new RegExp(`${mustRefuseText}\` must not contain`))]);
        }
        if (status >= 400 && text !== '') {
          expect(JSON.parse(text)).toEqual({ error: { code: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/), message: expect.any(String) } });
        }
      }),
      { numRuns: Number(process.env.FC_RUNS_HOSTILE ?? 800) },
    );
    // Every kind of attack was actually sent.
    expect([...seen.keys()].sort()).toEqual(['deep', 'huge', 'manyKeys', 'oddMethod', 'protoId', 'protoKey', 'unsafeText']);
  });
});
