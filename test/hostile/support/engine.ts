import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/run';

/** Temp folders for one test file, removed after it. */
export const tempDirs = () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return (prefix = 'hostile-') => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
};

/** `rotation …` in-process on a data folder (the engine must be stopped), times in UTC. */
export const cliOn = async (dataDir: string, args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false, columns: 200 },
    env: {},
    timeZone: 'UTC',
  });
  return { code, stdout, stderr };
};
