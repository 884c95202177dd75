/** `npx rotation …` (bin/rotation.js registers tsx and loads this). */
import '../local/polyfills';
import { runCli } from './run';

// `rotation audit … | head` closes stdout early: stop printing, but let the command finish and close the store.
let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
});
const stdout = { write: (text: string) => stdoutClosed || process.stdout.write(text) };

runCli(process.argv.slice(2), { stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
