/**
 * The API Lambda as it deploys: built with esbuild exactly as the CDK app builds it (infra/bundling.ts,
 * minified), loaded with Node's own require, invoked with API Gateway HTTP API (payload 2.0) events against
 * dynalite. Its OpenAPI document covers exactly the routes API Gateway is given, /docs renders it, and the
 * schemas validate inside the bundle as they do under `npm start`.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { AUTHENTICATED_ROUTES, PUBLIC_ROUTES } from '../../infra/apiRoutes';
import { esbuildOptionsFor } from '../../infra/bundling';
import { PAGE_CONFIG_ENV } from '../../src/api/pageConfig';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { withEmbeddedDynamo } from '../support/dynamo';
import { operationsOf, type OpenApiDocument } from '../support/openapi';

jest.setTimeout(120_000);

const dynamo = withEmbeddedDynamo();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-api-'));
const savedEnv = { ...process.env };
type Answer = { statusCode: number; headers: Record<string, string>; body: string };
let handler: (event: unknown, context: unknown) => Promise<Answer>;

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    [PAGE_CONFIG_ENV.publicUrl]: 'https://pages.example.com/',
    [PAGE_CONFIG_ENV.region]: 'us-east-1',
    [PAGE_CONFIG_ENV.userPoolId]: 'us-east-1_pool',
    [PAGE_CONFIG_ENV.clientId]: 'client-1',
    [PAGE_CONFIG_ENV.domain]: 'https://karaoke.auth.us-east-1.amazoncognito.com',
    ...Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [TABLES[key].envVar, dynamo.tableNames[key]])),
  });
  const outfile = path.join(outDir, 'api', 'index.js');
  await build(esbuildOptionsFor('src/api/lambda.ts', outfile));
  // Node's require, not jest's: the bundle runs as Lambda runs it, untransformed.
  handler = createRequire(outfile)(outfile).handler;
});

afterAll(() => {
  process.env = savedEnv;
  fs.rmSync(outDir, { recursive: true, force: true });
});

const invoke = (method: string, rawPath: string, { body, claims }: { body?: unknown; claims?: Record<string, unknown> } = {}) =>
  handler(
    {
      version: '2.0',
      routeKey: `${method} ${rawPath}`,
      rawPath,
      rawQueryString: '',
      headers: { host: 'api.example.com', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      requestContext: {
        requestId: `req-${Math.random()}`,
        http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
        ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      isBase64Encoded: false,
    },
    { getRemainingTimeInMillis: () => 30_000, functionName: 'api', awsRequestId: 'x' },
  );

it('serves /openapi.json with no token, covering exactly the routes API Gateway is given', async () => {
  const answer = await invoke('GET', '/openapi.json');
  expect(answer.statusCode).toBe(200);
  const doc = JSON.parse(answer.body) as OpenApiDocument;
  const documented = operationsOf(doc).map(({ method, path }) => `${method} ${path}`);
  const deployed = [...AUTHENTICATED_ROUTES, ...PUBLIC_ROUTES].map(({ method, path }) => `${method} ${path}`);
  expect(documented.sort()).toEqual(deployed.sort());
  expect(documented.some((route) => route.includes('/dev/') || route.endsWith('/live'))).toBe(false);
});

it('serves /docs, a page that renders the document', async () => {
  const answer = await invoke('GET', '/docs');
  expect(answer.statusCode).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^text\/html/);
  expect(answer.body).toContain('"url": "./openapi.json"');
});

it('validates with the same schemas inside the bundle', async () => {
  const kj = { sub: 'kj-bundle', name: 'Ann', 'cognito:groups': '[kj]' };
  const refused = await invoke('POST', '/rotations', { claims: kj, body: { venue: 'Bar\u202E', settings: { maxSingers: 1 } } });
  expect(refused.statusCode).toBe(400);
  expect(JSON.parse(refused.body)).toEqual({
    error: {
      code: 'invalid-request',
      message: '`venue` must not contain control characters, bidirectional overrides or lone surrogates. `settings.maxSingers` must be a whole number from 2 to 500 (got a number).',
    },
  });
  const opened = await invoke('POST', '/rotations', { claims: kj, body: { venue: 'Bundle Bar' } });
  expect(opened.statusCode).toBe(201);
  expect(JSON.parse(opened.body)).toEqual({
    rotationId: expect.any(String),
    joinCode: expect.stringMatching(/^[2-9A-HJKMNP-Z]{5}$/),
    version: 1,
    headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
});

it('tells the pages to sign in with Cognito, and sends a join code to the pages’ origin, not the API’s host', async () => {
  const config = await invoke('GET', '/config');
  expect(config.statusCode).toBe(200);
  expect(JSON.parse(config.body)).toEqual({
    mode: 'aws',
    signIn: 'cognito',
    live: 'poll',
    apiUrl: 'https://api.example.com',
    publicUrl: 'https://pages.example.com',
    cognito: { region: 'us-east-1', userPoolId: 'us-east-1_pool', clientId: 'client-1', domain: 'https://karaoke.auth.us-east-1.amazoncognito.com', scopes: ['openid', 'email', 'profile'] },
  });
  const kj = { sub: 'kj-bundle', name: 'Ann', 'cognito:groups': '[kj]' };
  const { joinCode } = JSON.parse((await invoke('POST', '/rotations', { claims: kj, body: { venue: 'Redirect Bar' } })).body);
  const redirect = await invoke('GET', `/j/${joinCode}`);
  expect(redirect.statusCode).toBe(302);
  // The queue view comes from the projections Lambda, not running here: the page is told the code to look up.
  expect(redirect.headers.location).toMatch(/^https:\/\/pages\.example\.com\/singer\.html\?(rotation|code)=/);
});
