import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

/**
 * Builds web/ with Vite into a fresh temp folder, so the browser tests always run the pages as they are in the
 * source tree (not a stale dist/web). Vite is ESM-only, which jest's CommonJS runtime cannot load: run its CLI.
 */
export const buildWebPages = (): { dir: string; remove(): void } => {
  const dir = mkdtempSync(join(tmpdir(), 'karaoke-web-'));
  execFileSync(
    process.execPath,
    [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.mts', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
