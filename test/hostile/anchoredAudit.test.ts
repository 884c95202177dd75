import { cpSync, writeFileSync } from 'node:fs';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { commitHash, type StoredCommit } from '../../src/eventstore/commit';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { streamIdFor } from '../../src/eventstore/tables';
import { anchorLogPath, createAnchorLog } from '../../src/local/anchorLog';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { startEngine } from '../../src/local/engine';
import { requestJson, song } from '../support/api';
import { cliOn, tempDirs } from './support/engine';

/**
 * Edits at the END of the log keep the hash chain intact: the last commit edited and re-hashed, commits deleted
 * from the end, history rewritten from some commit and re-chained forward. The anchor written when the rotation
 * closed (and a head hash a client noted from an answer) catch each one.
 */
const tempDir = tempDirs();

interface Night {
  readonly dataDir: string;
  readonly rotationId: string;
  /** headHash@version from the close answer. */
  readonly closedAt: { version: number; headHash: string };
  /** From an answer before the close. */
  readonly noted: { version: number; headHash: string };
}

let night: Night;

beforeAll(async () => {
  const dataDir = tempDir('hostile-audit-');
  const engine = await startEngine({ dataDir, port: 0, webDir: tempDir() });
  try {
    const kj = engine.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
    const amy = engine.tokens.issue({ sub: 'amy', name: 'Amy', role: 'singer' });
    const api = (method: string, path: string, token: string, body?: unknown) => requestJson(engine.url, method, path, { token, body });
    const opened = await api('POST', '/rotations', kj, { venue: 'The Blue Room', settings: { autoAdvance: false } });
    const rotationId = opened.body.rotationId as string;
    const joined = await api('POST', `/rotations/${rotationId}/singers`, amy, { displayName: 'Amy', song: song('Jolene') });
    // Every command answer and the queue view carry the head: the hash of the commit at `version`.
    expect(joined.body).toEqual({ singerId: 'amy', version: 2, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const queue = await api('GET', `/rotations/${rotationId}/queue`, amy);
    expect(queue.body).toMatchObject({ version: 2, headHash: joined.body.headHash });
    await api('POST', `/rotations/${rotationId}/singers/amy/songs`, amy, song('Valerie'));
    const turn = await api('POST', `/rotations/${rotationId}/turns`, kj);
    expect(turn.body.headHash).toMatch(/^[0-9a-f]{64}$/);
    const started = await api('POST', `/rotations/${rotationId}/turns/${turn.body.turnId}/start`, kj);
    const closed = await api('POST', `/rotations/${rotationId}/close`, kj);
    expect(closed.status).toBe(200);
    night = { dataDir, rotationId, closedAt: closed.body, noted: started.body };
  } finally {
    await engine.stop();
  }
});

/** A copy of the night's data folder, changed by someone with write access to the event table. */
const tampered = async (change: (store: { commits: StoredCommit[]; put: (c: StoredCommit) => Promise<void>; remove: (version: number) => Promise<void> }) => Promise<void>) => {
  const copy = tempDir('hostile-tampered-');
  cpSync(night.dataDir, copy, { recursive: true });
  const dynamo: EmbeddedDynamo = await startEmbeddedDynamo({ dataDir: copy });
  try {
    const streamId = streamIdFor(night.rotationId);
    const commits = await createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events }).readStream(streamId);
    const doc = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    await change({
      commits,
      put: async (commit) => void (await doc.send(new PutCommand({ TableName: dynamo.tableNames.events, Item: commit }))),
      remove: async (version) =>
        void (await dynamo.client.send(
          new DeleteItemCommand({ TableName: dynamo.tableNames.events, Key: { streamId: { S: streamId }, version: { N: String(version) } } }),
        )),
    });
  } finally {
    await dynamo.close();
  }
  return copy;
};

/** The commit with new content, sealed again so its own hash matches. */
const resealed = (commit: StoredCommit, prevHash: string, edit: (c: StoredCommit) => void = () => {}): StoredCommit => {
  const copy = structuredClone({ ...commit, prevHash }) as StoredCommit;
  edit(copy);
  return { ...copy, hash: commitHash(copy) };
};

const verify = (dataDir: string, ...more: string[]) => cliOn(dataDir, ['audit', night.rotationId, '--verify', ...more]);

describe('anchored audit', () => {
  it('closing a rotation anchors its head outside the event table, and an untouched night verifies', async () => {
    const anchors = await createAnchorLog(night.dataDir).list(streamIdFor(night.rotationId));
    expect(anchors).toEqual([{ streamId: streamIdFor(night.rotationId), version: night.closedAt.version, hash: night.closedAt.headHash, anchoredAt: expect.any(String) }]);
    const result = await verify(night.dataDir, '--expect-head', `${night.noted.headHash}@${night.noted.version}`);
    expect(result.stdout).toContain('Hash chain intact');
    expect(result.stdout).toContain(`OK      Anchor of version ${night.closedAt.version}`);
    expect(result.stdout).toContain('Verified.');
    expect(result.stdout).toContain('What it does not prove');
    expect(result.code).toBe(0);
  });

  it('catches the last commit edited and re-hashed', async () => {
    const dir = await tampered(async ({ commits, put }) => {
      const last = commits.at(-1)!;
      await put(resealed(last, last.prevHash, (c) => void ((c.actor as { id: string }).id = 'amy')));
    });
    const result = await verify(dir);
    expect(result.stdout).toContain('Hash chain intact'); // the chain alone sees nothing
    expect(result.stdout).toMatch(new RegExp(`BROKEN  Anchor of version ${night.closedAt.version} .*: version ${night.closedAt.version} now hashes to`));
    expect(result.stdout).toContain('NOT verified');
    expect(result.code).toBe(1);
  });

  it('says a closed rotation without its anchor is not verified (the close cut off before its anchor, or the anchor removed)', async () => {
    const dir = await tampered(async () => {});
    writeFileSync(anchorLogPath(dir), ''); // as a crash between the close's commit and its anchor leaves it
    const result = await verify(dir);
    expect(result.stdout).toContain('Hash chain intact');
    expect(result.stdout).toContain('BROKEN  No anchor, though the rotation is closed');
    expect(result.stdout).not.toContain('it is anchored when it closes');
    expect(result.code).toBe(1);
  });

  it('catches commits deleted from the end', async () => {
    const dir = await tampered(async ({ commits, remove }) => remove(commits.at(-1)!.version));
    const result = await verify(dir);
    expect(result.stdout).toContain('Hash chain intact');
    expect(result.stdout).toMatch(new RegExp(`BROKEN  Anchor of version ${night.closedAt.version} .*is missing; the log ends at version ${night.closedAt.version - 1}, so commits were deleted from its end`));
    expect(result.code).toBe(1);
  });

  it('catches history rewritten from an earlier commit and re-chained forward, also against a head a client noted', async () => {
    const dir = await tampered(async ({ commits, put }) => {
      let prevHash = commits[1]!.prevHash;
      for (const [i, commit] of commits.entries()) {
        if (i < 1) continue;
        const rewritten = resealed(commit, prevHash, (c) => {
          if (i === 1) ((c.events[0]!.data as { displayName: string }).displayName = 'Mallory');
        });
        await put(rewritten);
        prevHash = rewritten.hash;
      }
    });
    const result = await verify(dir, '--expect-head', `${night.noted.headHash}@${night.noted.version}`);
    expect(result.stdout).toContain('Hash chain intact');
    expect(result.stdout).toMatch(new RegExp(`BROKEN  Anchor of version ${night.closedAt.version} .*now hashes to`));
    expect(result.stdout).toMatch(new RegExp(`BROKEN  Expected head ${night.noted.headHash.slice(0, 12)}…@${night.noted.version}: version ${night.noted.version} now hashes to`));
    expect(result.code).toBe(1);
  });

  it('--expect-head without a version finds the noted commit anywhere in the log, or says it is gone', async () => {
    const ok = await verify(night.dataDir, '--expect-head', night.noted.headHash);
    expect(ok.stdout).toContain(`matches version ${night.noted.version}; 1 commit(s) were added after it`);
    expect(ok.code).toBe(0);
    const gone = await verify(night.dataDir, '--expect-head', 'f'.repeat(64));
    expect(gone.stdout).toContain('no commit has hash ffffffffffff…');
    expect(gone.code).toBe(1);
    expect(await cliOn(night.dataDir, ['audit', night.rotationId, '--verify', '--expect-head', 'nothex'])).toMatchObject({ code: 2 });
  });
});
