/**
 * An engine in a child process (`npm start`'s main) whose file size limit the test can lower with util-linux's
 * prlimit, so its next LevelDB log write fails part-way (EFBIG), a real OS failure as a full disk makes it.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

export interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stopped: Promise<number | null>;
}

export const startEngineProcess = (dataDir: string): Promise<Running> =>
  new Promise((started, failed) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/local/main.ts'], {
      cwd: REPO,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: '' },
    });
    const stopped = new Promise<number | null>((done) => child.on('close', done));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (url && stdout.includes('Press Ctrl-C to stop.')) started({ child, url, stopped });
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void stopped.then((code) => failed(new Error(`the engine exited (${code}) before it was up: ${stderr}`)));
  });

/** The log LevelDB appends to now: the newest numbered `.log` file. */
export const liveLogSize = (dataDir: string): number => {
  const logs = readdirSync(dataDir).filter((name) => /^\d+\.log$/.test(name)).sort();
  return statSync(join(dataDir, logs.at(-1)!)).size;
};

export const fileSizeLimit = (pid: number, soft: string) => execFileSync('prlimit', ['--pid', String(pid), `--fsize=${soft}:`]);
export const hardFileSizeLimit = (pid: number) =>
  execFileSync('prlimit', ['--pid', String(pid), '--fsize', '--raw', '--noheadings', '--output', 'HARD']).toString().trim();
