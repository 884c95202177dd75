import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

/** `npm start`'s main, as a command line (a test may put a wrapper in front: unshare, prlimit). */
export const ENGINE = [process.execPath, '--require', 'tsx/cjs', 'src/local/main.ts'];

/**
 * Runs `command` (by default the engine) from the repository with `env` over this process's environment, and gives
 * its exit code and output. For starts that must be refused: one that comes up anyway is stopped at once.
 */
export const startExpectingRefusal = (env: Record<string, string>, command: readonly string[] = ENGINE) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: REPO, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl-C to stop.')) child.kill('SIGTERM'); // it should never get here
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
