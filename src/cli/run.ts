/** The `rotation` CLI as a function (argv and streams in, exit code out), so tests run it in-process. */
import { resolve } from 'node:path';
import { escapeUnsafeText } from '../api/http/text';
import { markFirstCommits } from '../eventstore/firstCommitsBackfill';
import { DataFolderError, makeDataFolderPrivate } from '../local/dataFolder';
import { changePassphrase } from '../local/kjPassphrase';
import { parseCliArgs, USAGE } from './args';
import { runAudit } from './auditCommand';
import { defaultAwsClients, runMakeKj, runRedrive, type AwsClients } from './awsCommands';
import { createClock } from './clock';
import { connect } from './connect';
import { CliError } from './errors';
import { runList } from './listCommand';
import type { ProgressStream } from './progressBar';
import { runRebuild } from './rebuildCommand';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Time zone for the timeline (default: the machine's, which Node takes from TZ when set). */
  readonly timeZone?: string;
  /** AWS clients for make-kj and redrive (default: the SDK's, from the environment); tests pass mocks. */
  readonly aws?: () => AwsClients;
}

export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  // Lines hold stored text (names, titles, venues), and old data may hold control characters: a singer's
  // name must never move the cursor, rewrite a line or flip its direction. Each line is escaped on output.
  // One call, one line: a line feed inside stored text is escaped too, so it can never start a line of its own.
  const out = (line: string) => void io.stdout.write(`${escapeUnsafeText(line)}\n`);
  // Errors span lines (usage); the ids in them come from the caller's own arguments.
  const fail = (message: string) => void io.stderr.write(`${message.split('\n').map(escapeUnsafeText).join('\n')}\n`);
  try {
    const request = parseCliArgs(argv, io.env);
    if (request.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (request.command === 'passphrase') {
      const dataDir = resolve(request.dataDir);
      makeDataFolderPrivate(dataDir);
      out(`New KJ passphrase: ${changePassphrase(dataDir, request.set)}`);
      out('npm start uses it from the next sign-in on; no restart needed. KJs signed in with the old one must sign in again.');
      return 0;
    }
    if (request.command === 'make-kj') return await runMakeKj((io.aws ?? defaultAwsClients)(), request, out);
    if (request.command === 'redrive') return await runRedrive((io.aws ?? defaultAwsClients)(), request, out);
    const clock = createClock(io.timeZone);
    const connection = await connect(request.store, io.env);
    try {
      switch (request.command) {
        case 'list':
          return await runList(connection, { out, clock });
        case 'rebuild':
          return await runRebuild(connection, { out, progress: io.stderr });
        case 'audit':
          return await runAudit(connection, request, { out, clock });
        case 'index-streams': {
          const { marked, alreadyMarked } = await markFirstCommits(connection.client, connection.tableNames.events);
          out(`Marked ${marked} rotation(s) for the first-commits index in ${connection.where}; ${alreadyMarked} already were.`);
          return 0;
        }
      }
    } finally {
      await connection.close();
    }
  } catch (err) {
    if (err instanceof DataFolderError) {
      fail(err.message);
      return 2;
    }
    if (err instanceof CliError) {
      fail(err.message);
      return err.exitCode;
    }
    const e = err as { name?: string; message?: string };
    if (e.name === 'ResourceNotFoundException') {
      fail(`A table is missing (${e.message}). With --endpoint, set the table names (EVENTS_TABLE_NAME, …) the deployment uses.`);
      return 3;
    }
    fail(`rotation: ${e.message ?? String(err)}`);
    return 1;
  }
};
