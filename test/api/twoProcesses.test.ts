import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDevTokens } from '../../src/local/devTokens';
import { requestJson, song, startTestApi, type ApiResponse } from '../support/api';

// The store on a loopback port, so the second process can reach it.
const api = startTestApi({ storeTransport: 'tcp' });
const SINGERS = 100;

/** The second command handler (test/support/secondCommandServer.ts) on the engine's store, in its own process. */
const startSecondServer = async (endpoint: string, secret: Buffer): Promise<{ url: string; child: ChildProcess }> => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'support', 'secondCommandServer.ts')], {
    cwd: join(__dirname, '..', '..'),
    env: {
      ...process.env,
      SECOND_SERVER_SECRET: secret.toString('hex'),
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the second command server exited (${code}) before listening`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
};

/**
 * Two command handlers in two processes writing one rotation (issue 11), as two Lambda containers do: each
 * decides on the state it holds, a race lost to the other is caught up and re-decided. Every command is
 * accepted or, at worst, a 409 after about 3 s of retrying; never a 5xx; the log holds each accepted one once.
 */
it(`${SINGERS} singers join at once and queue 2 songs each, through two command handlers in two processes: each accepted or 409, never 5xx`, async () => {
  const secret = randomBytes(32);
  const second = await startSecondServer(api.engine.dynamo.endpoint, secret);
  try {
    const secondTokens = createDevTokens(secret);
    const servers = [
      { request: api.request, token: (sub: string, role: 'kj' | 'singer') => api.token(sub, role) },
      {
        request: (method: string, path: string, options = {}) => requestJson(second.url, method, path, options),
        token: (sub: string, role: 'kj' | 'singer') => secondTokens.issue({ sub, name: sub, role }),
      },
    ];
    const opened = await api.request('POST', '/rotations', { token: api.token('kj-two', 'kj'), body: { venue: 'Two Doors', settings: { autoAdvance: false } } });
    const r = `/rotations/${opened.body.rotationId}`;

    const answers: { server: number; command: string; status: number }[] = [];
    const send = async (server: number, command: string, method: string, path: string, sub: string, body: unknown): Promise<ApiResponse> => {
      const { request, token } = servers[server]!;
      const response = await request(method, path, { token: token(sub, 'singer'), body });
      answers.push({ server, command, status: response.status });
      return response;
    };
    await Promise.all(
      Array.from({ length: SINGERS }, async (_, i) => {
        const id = `two-${i}`;
        const joined = await send(i % 2, 'join', 'POST', `${r}/singers`, id, { displayName: id, song: song(`${id} 1`) });
        if (joined.status !== 201) return;
        await Promise.all([0, 1].map((server) => send(server, 'song', 'POST', `${r}/singers/${id}/songs`, id, song(`${id} ${server + 2}`))));
      }),
    );

    expect(answers.filter((a) => a.status !== 201 && a.status !== 409)).toEqual([]);
    const accepted = (command: string) => answers.filter((a) => a.command === command && a.status === 201).length;
    // Both handlers really wrote: the log is every accepted command, once each.
    const events = (await api.request('GET', `${r}/events`, { token: api.token('kj-two', 'kj') })).body.events as { type: string }[];
    expect(events.filter((e) => e.type === 'SingerJoined')).toHaveLength(accepted('join'));
    expect(events.filter((e) => e.type === 'SongQueued')).toHaveLength(accepted('song'));
    expect(accepted('join')).toBeGreaterThan(SINGERS / 2);
    for (const server of [0, 1]) expect(answers.filter((a) => a.server === server && a.status === 201).length).toBeGreaterThan(SINGERS / 2);
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }
}, 120_000);
