import fc from 'fast-check';
import { song, startTestApi } from '../support/api';

const api = startTestApi();

/** Valid requests on a live rotation; each generated case breaks exactly such a request in one or more ways. */
interface Template {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (ids: Ids) => string;
  body?: Record<string, unknown>;
  as: 'kj' | 'amy';
}
interface Ids {
  r: string;
  turn: string;
  songId: string;
}

const TEMPLATES: Template[] = [
  { method: 'POST', path: () => '/rotations', body: { venue: 'Fuzz Bar', settings: { alertAheadTurns: 2, autoAdvance: false } }, as: 'kj' },
  { method: 'GET', path: (i) => `/rotations/${i.r}/queue`, as: 'amy' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/singers`, body: { singerId: 'newbie', displayName: 'New', song: song('x'), placement: 'fair' }, as: 'kj' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/singers/amy/songs`, body: { title: 'T', artist: 'A', key: 3 }, as: 'amy' },
  { method: 'DELETE', path: (i) => `/rotations/${i.r}/singers/amy/songs/${i.songId}`, as: 'amy' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/singers/amy/skip`, as: 'amy' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/singers/amy/away`, as: 'amy' },
  { method: 'DELETE', path: (i) => `/rotations/${i.r}/singers/amy`, as: 'amy' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/singers/bo/move`, body: { position: 1 }, as: 'kj' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/turns/${i.turn}/start`, as: 'kj' },
  { method: 'POST', path: (i) => `/rotations/${i.r}/close`, as: 'kj' },
  { method: 'GET', path: (i) => `/rotations/${i.r}/state?seq=2`, as: 'kj' },
  { method: 'PUT', path: () => '/singers/amy/contact', body: { phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] }, as: 'amy' },
];

const huge = fc.string({ minLength: 201, maxLength: 300 }).map((s) => s.padEnd(201, 'x'));
const wrongValue = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.constant({}), huge, fc.constant(''), fc.double());
const badId = fc.oneof(fc.constant('a'.repeat(200)), fc.constant('%20space'), fc.constant('..'), fc.constant('-lead'), fc.constant('semi;colon'), fc.constant('%E2%98%83'), fc.constant('a%2Fb'));

/** One defect, always enough on its own to make the request invalid. */
type Defect =
  | { kind: 'badJson'; text: string }
  | { kind: 'wrongField'; pick: number; value: unknown }
  | { kind: 'missingField'; pick: number }
  | { kind: 'unknownField'; name: string }
  | { kind: 'bodyNotObject'; value: unknown }
  | { kind: 'badPathId'; id: string; segment: number }
  | { kind: 'wrongMethod'; method: string }
  | { kind: 'badToken'; token: string | null }
  | { kind: 'unknownQuery'; name: string }
  | { kind: 'tooLarge' };

const defect: fc.Arbitrary<Defect> = fc.oneof(
  fc.record({ kind: fc.constant('badJson' as const), text: fc.constantFrom('{', '{"venue":', "{'a':1}", 'nul', '{"a":1,}', '[1,2', '\u0000') }),
  fc.record({ kind: fc.constant('wrongField' as const), pick: fc.nat(), value: wrongValue }),
  fc.record({ kind: fc.constant('missingField' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('unknownField' as const), name: fc.constantFrom('admin', 'role', '__proto__x', 'singerID', 'extra', 'kjId') }),
  fc.record({ kind: fc.constant('bodyNotObject' as const), value: fc.oneof(fc.integer(), fc.constant([]), fc.string({ minLength: 1 }), fc.constant(true)) }),
  fc.record({ kind: fc.constant('badPathId' as const), id: badId, segment: fc.nat() }),
  fc.record({ kind: fc.constant('wrongMethod' as const), method: fc.constantFrom('PATCH', 'PUT', 'GET', 'DELETE', 'POST') }),
  fc.record({ kind: fc.constant('badToken' as const), token: fc.oneof(fc.constant(null), fc.constant('garbage'), fc.constant('a.b.c'), fc.string({ maxLength: 40 })) }),
  fc.record({ kind: fc.constant('unknownQuery' as const), name: fc.constantFrom('debug', 'x', 'limit', 'seqq') }),
  fc.record({ kind: fc.constant('tooLarge' as const) }),
);

interface Built {
  method: string;
  path: string;
  body?: string;
  token?: string;
  valid: boolean;
}

/** Applies a defect to a template; `valid: false` when this defect cannot apply to it (the case is skipped). */
const build = (t: Template, d: Defect, ids: Ids, tokens: Record<string, string>): Built => {
  const body = t.body ? structuredClone(t.body) : undefined;
  let path = t.path(ids);
  let method: string = t.method;
  let token: string | undefined = tokens[t.as];
  let text = body ? JSON.stringify(body) : undefined;
  const fields = body ? Object.keys(body) : [];
  switch (d.kind) {
    case 'badJson':
      if (t.method === 'GET') return { method, path, valid: false };
      text = d.text;
      break;
    case 'wrongField': {
      if (!body || fields.length === 0) return { method, path, valid: false };
      const field = fields[d.pick % fields.length]!;
      // A value valid for the field would not be a defect: 2 is a fine position, '' never is.
      if (field === 'position' && typeof d.value === 'number' && Number.isSafeInteger(d.value) && d.value >= 0) return { method, path, valid: false };
      if (field === 'settings' && JSON.stringify(d.value) === '{}') return { method, path, valid: false };
      if (field === 'channels' && Array.isArray(d.value) && d.value.every((c) => c === 'sms' || c === 'email')) return { method, path, valid: false };
      if (field === 'key' && typeof d.value === 'number' && Number.isSafeInteger(d.value) && Math.abs(d.value) <= 12) return { method, path, valid: false };
      body[field] = d.value;
      text = JSON.stringify(body);
      break;
    }
    case 'missingField': {
      // A KJ join may leave out singerId: that adds a walk-up (API.md "Singers the KJ adds").
      const required = fields.filter((f) => !['settings', 'placement', 'key', 'phone', 'email', 'singerId'].includes(f));
      if (!body || required.length === 0) return { method, path, valid: false };
      delete body[required[d.pick % required.length]!];
      text = JSON.stringify(body);
      break;
    }
    case 'unknownField':
      if (t.method === 'GET') return { method, path, valid: false };
      text = JSON.stringify({ ...(body ?? {}), [d.name]: 1 });
      break;
    case 'bodyNotObject':
      if (t.method === 'GET') return { method, path, valid: false };
      text = JSON.stringify(d.value);
      break;
    case 'badPathId': {
      const segments = path.split('?')[0]!.split('/');
      const idSlots = segments.map((s, i) => (['r', 'turn', 'songId'].some((k) => s === ids[k as keyof Ids]) || s === 'amy' || s === 'bo' ? i : -1)).filter((i) => i >= 0);
      if (idSlots.length === 0) return { method, path, valid: false };
      segments[idSlots[d.segment % idSlots.length]!] = d.id;
      path = segments.join('/') + (path.includes('?') ? `?${path.split('?')[1]}` : '');
      break;
    }
    case 'wrongMethod':
      if (d.method === t.method) return { method, path, valid: false };
      method = d.method;
      break;
    case 'badToken':
      token = d.token ?? undefined;
      break;
    case 'unknownQuery':
      path += `${path.includes('?') ? '&' : '?'}${d.name}=1`;
      break;
    case 'tooLarge':
      if (t.method === 'GET') return { method, path, valid: false };
      text = JSON.stringify({ ...(body ?? {}), padding: 'x'.repeat(20_000) });
      break;
  }
  return { method, path, ...(text !== undefined && method !== 'GET' ? { body: text } : {}), ...(token ? { token } : {}), valid: true };
};

describe('malformed requests', () => {
  it('2,000+ malformed requests: every answer a 4xx with the error shape, and no event stored', async () => {
    const kj = api.token('kj-fuzz', 'kj');
    const amy = api.token('amy', 'singer');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Fuzz Bar', settings: { autoAdvance: false, maxPendingSongs: 10 } } });
    const r = opened.body.rotationId as string;
    await api.request('POST', `/rotations/${r}/singers`, { token: amy, body: { displayName: 'Amy', song: song('a1') } });
    await api.request('POST', `/rotations/${r}/singers`, { token: api.token('bo', 'singer'), body: { displayName: 'Bo', song: song('b1') } });
    const songId = (await api.request('POST', `/rotations/${r}/singers/amy/songs`, { token: amy, body: song('a2') })).body.songId;
    const turn = (await api.request('POST', `/rotations/${r}/turns`, { token: kj })).body.turnId;
    const ids = { r, turn, songId };
    const store = api.engine.dynamo;
    const countEvents = async () => {
      let n = 0;
      for await (const _ of (await import('../../src/eventstore/dynamoEventStore')).createDynamoEventStore({ client: store.client, tableName: store.tableNames.events }).readAll()) n++;
      return n;
    };
    const before = await countEvents();

    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TEMPLATES), fc.array(defect, { minLength: 1, maxLength: 3 }), async (template, defects) => {
        let built: Built | undefined;
        for (const d of defects) {
          const next = build(template, d, ids, { kj, amy });
          if (next.valid) built = next;
        }
        // Several defects: apply the last applicable one on top (each alone is enough).
        if (!built) return;
        sent++;
        const described = `${built.method} ${built.path} ${built.body?.slice(0, 200)}`;
        // A request the server never answers is a failure of its own, named, not a test timeout.
        const response = await fetch(`${api.url}${built.path}`, {
          signal: AbortSignal.timeout(10_000),
          method: built.method,
          headers: { 'content-type': 'application/json', ...(built.token ? { authorization: `Bearer ${built.token}` } : {}) },
          ...(built.body !== undefined ? { body: built.body } : {}),
        }).catch((err: Error) => {
          throw new Error(`${described} → no answer: ${err.message}`);
        });
        const text = await response.text();
        if (response.status < 400 || response.status >= 500) {
          throw new Error(`${described} → ${response.status} ${text.slice(0, 300)}`);
        }
        const parsed = JSON.parse(text);
        expect(parsed).toEqual({ error: { code: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/), message: expect.any(String) } });
      }),
      { numRuns: Number(process.env.FC_RUNS_API ?? 2400) },
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    expect(await countEvents()).toBe(before);
  });
});

describe('request size', () => {
  it('a large chunked body with no Content-Length is cut off with 413, not buffered', async () => {
    const kj = api.token('kj-size', 'kj');
    const chunk = new TextEncoder().encode(`{"venue":"${'x'.repeat(4096)}`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${api.url}/rotations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kj}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'payload-too-large', message: expect.stringContaining('16 KB') } });
  });
});
