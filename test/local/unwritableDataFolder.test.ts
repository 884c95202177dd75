import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { ENGINE, startExpectingRefusal } from './support/refusedStart';

/**
 * `npm start` on a data folder it cannot write (a read-only disk, a folder left by `sudo npm start`, a full disk)
 * says so in one sentence and exits, instead of printing a stack trace. The failures are real: a read-only bind
 * mount in a user and mount namespace of the engine's own (`unshare -rm`), so nothing outside it changes, and a
 * file size limit (RLIMIT_FSIZE, util-linux's prlimit) that stops LevelDB writing the table it makes on opening.
 */
const start = (dataDir: string, command: readonly string[]) => startExpectingRefusal({ PORT: '0', DATA_DIR: dataDir, PUBLIC_URL: '' }, command);

describe('npm start on a data folder it cannot write', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rotation-unwritable-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('says a read-only folder cannot be written and exits, with no stack trace', async () => {
    const dataDir = tempDir();
    const readOnly = 'mount --bind "$DATA_DIR" "$DATA_DIR" && mount -o remount,bind,ro "$DATA_DIR" && exec "$@"';
    const { code, stderr } = await start(dataDir, ['unshare', '-rm', 'sh', '-c', readOnly, 'sh', ...ENGINE]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `The data folder ${dataDir} cannot be used: it is on a read-only file system. Refusing to start: make it writable by this user, or set DATA_DIR to another folder.`,
    );
  });

  it('says a full disk stops it opening the folder and exits, with no stack trace', async () => {
    const dataDir = tempDir();
    // About 1 MB the next open must write again as a table (random, so it does not compress).
    const dynamo = await startEmbeddedDynamo({ dataDir });
    for (let i = 0; i < 100; i++) {
      const item = { id: { S: `filler-${i}` }, data: { S: randomBytes(7500).toString('base64') } };
      await dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableNames.idempotency, Item: item as never }));
    }
    await dynamo.close();
    const { code, stderr } = await start(dataDir, ['prlimit', '--fsize=300000', ...ENGINE]);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(new RegExp(`^The data folder ${dataDir} cannot be opened: writing to it failed \\(IO error: .*\\)\\. Free some disk space and start again; nothing was changed\\.$`));
  });
});
