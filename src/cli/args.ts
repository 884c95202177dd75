/** `rotation <command> [args] [options]` → a typed request, or a usage error that says what is wrong. */
import { parseArgs } from 'node:util';
import { parseRfc3339 } from '../api/http/rfc3339';
import { parseExpectedHead, type ExpectedHead } from '../eventstore/anchors';
import { CliError } from './errors';

export interface StoreOptions {
  /** The embedded store's folder (the one `npm start` uses). */
  readonly dataDir: string;
  /** A DynamoDB endpoint URL, or 'aws' for the SDK's own (region and credentials from the environment). */
  readonly endpoint?: string;
}

export type CliRequest =
  | { readonly command: 'help' }
  | { readonly command: 'list'; readonly store: StoreOptions }
  | { readonly command: 'rebuild'; readonly store: StoreOptions }
  | { readonly command: 'index-streams'; readonly store: StoreOptions }
  | { readonly command: 'passphrase'; readonly dataDir: string; readonly set?: string }
  | { readonly command: 'make-kj'; readonly userPoolId: string; readonly username: string }
  | { readonly command: 'redrive'; readonly queueUrl: string; readonly functionName: string; readonly max: number }
  | {
      readonly command: 'audit';
      readonly store: StoreOptions;
      readonly rotationId: string;
      readonly verify: boolean;
      /** --expect-head: a head hash (and version) the user noted from an answer, checked by --verify. */
      readonly expectHead?: ExpectedHead;
      /** Where the audit stops: after event seq N, or as the log stood at a time; the whole night if absent. */
      readonly until?: { readonly seq: number } | { readonly at: string };
    };

export const USAGE = `Usage:
  rotation list                                  every rotation in the store, newest first
  rotation audit <rotationId> [--seq N | --at ISO]
                                                 the night's timeline (when, who, what) and the queue at that point
  rotation audit <rotationId> --verify [--expect-head HASH[@VERSION]]
                                                 recompute the hash chain (names the first commit that does not match),
                                                 check every anchor written when the rotation closed, and the head
                                                 hash you noted from an answer (headHash, with its version)
  rotation rebuild                               empty every read model and rebuild it from the event table
  rotation index-streams                         mark each rotation's first commit for the first-commits index: once,
                                                 on an event table written before the index existed (safe to repeat)
  rotation passphrase [--set TEXT]               a new KJ passphrase for npm start (or TEXT); signed-in KJs sign in again

Against a deployment (AWS credentials and region from the environment; names from the stack's outputs):
  rotation make-kj <username> --user-pool ID     put a Cognito user in the kj group (or USER_POOL_ID)
  rotation redrive <queueUrl> --function NAME [--max N]
                                                 invoke NAME again with each dead letter, deleting those it accepted

Where the data is (default: the folder npm start uses):
  --data-dir DIR     the engine's data folder (default $DATA_DIR, else ./.data); npm start must not be running
  --endpoint URL     a DynamoDB endpoint instead (e.g. http://localhost:8000), table names from the environment
                     (EVENTS_TABLE_NAME, QUEUE_VIEW_TABLE_NAME, …); --endpoint aws uses your AWS credentials and region
`;

export const parseCliArgs = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliRequest => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        seq: { type: 'string' },
        at: { type: 'string' },
        verify: { type: 'boolean', default: false },
        'expect-head': { type: 'string' },
        'data-dir': { type: 'string' },
        endpoint: { type: 'string' },
        'user-pool': { type: 'string' },
        function: { type: 'string' },
        max: { type: 'string' },
        set: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new CliError('usage', `${(err as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') return { command: 'help' };

  const store: StoreOptions = {
    dataDir: values['data-dir'] ?? env.DATA_DIR ?? '.data',
    ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
  };
  const noMore = (allowed: number) => {
    if (rest.length > allowed) throw new CliError('usage', `Unexpected argument "${rest[allowed]}".\n\n${USAGE}`);
  };

  switch (command) {
    case 'list':
    case 'rebuild':
    case 'index-streams':
      noMore(0);
      if (values.seq !== undefined || values.at !== undefined || values.verify || values['expect-head'] !== undefined) {
        throw new CliError('usage', `--seq, --at, --verify and --expect-head go with audit, not ${command}.`);
      }
      return { command, store };
    case 'passphrase':
      noMore(0);
      if (values.endpoint !== undefined) throw new CliError('usage', 'passphrase changes the data folder of npm start; it takes no --endpoint.');
      return { command, dataDir: store.dataDir, ...(values.set !== undefined ? { set: values.set } : {}) };
    case 'audit': {
      const rotationId = rest[0];
      if (!rotationId) throw new CliError('usage', `audit needs a rotation id (rotation list shows them).\n\n${USAGE}`);
      noMore(1);
      if (values.seq !== undefined && values.at !== undefined) throw new CliError('usage', 'Give --seq or --at, not both.');
      if (values.verify && (values.seq !== undefined || values.at !== undefined)) {
        throw new CliError('usage', '--verify checks the whole chain; it takes no --seq or --at.');
      }
      if (values['expect-head'] !== undefined && !values.verify) throw new CliError('usage', '--expect-head goes with --verify.');
      const expectHead = values['expect-head'] === undefined ? undefined : parseHead(values['expect-head']);
      const until =
        values.seq !== undefined ? { seq: parseSeq(values.seq) } : values.at !== undefined ? { at: parseTime(values.at) } : undefined;
      return { command: 'audit', store, rotationId, verify: values.verify ?? false, ...(until ? { until } : {}), ...(expectHead ? { expectHead } : {}) };
    }
    case 'make-kj': {
      const username = rest[0];
      const userPoolId = values['user-pool'] ?? env.USER_POOL_ID;
      if (!username) throw new CliError('usage', `make-kj needs a username (the user's email or sub).\n\n${USAGE}`);
      if (!userPoolId) throw new CliError('usage', 'make-kj needs --user-pool ID (the stack output UserPoolId) or USER_POOL_ID.');
      noMore(1);
      return { command, userPoolId, username };
    }
    case 'redrive': {
      const queueUrl = rest[0];
      if (!queueUrl || !/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[\w-]{1,80}$/.test(queueUrl)) {
        throw new CliError('usage', `redrive needs a queue URL like https://sqs.<region>.amazonaws.com/<account>/<name> (got "${queueUrl ?? ''}").`);
      }
      if (!values.function) throw new CliError('usage', 'redrive needs --function NAME: the function whose failures the queue holds.');
      noMore(1);
      const max = values.max === undefined ? 100 : Number(values.max);
      if (!Number.isInteger(max) || max < 1 || max > 100_000) throw new CliError('usage', `--max must be a whole number from 1 to 100000 (got "${values.max}").`);
      return { command, queueUrl, functionName: values.function, max };
    }
    default:
      throw new CliError('usage', `Unknown command "${command}".\n\n${USAGE}`);
  }
};

const parseHead = (value: string): ExpectedHead => {
  const head = parseExpectedHead(value);
  if (!head) throw new CliError('usage', `--expect-head takes a 64-hex-digit hash, optionally @version, like <headHash>@12 (got "${value}").`);
  return head;
};

const parseSeq = (value: string): number => {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new CliError('usage', `--seq must be an event number, 1 or more (got "${value}").`);
  return Number(value);
};

const parseTime = (value: string): string => {
  const time = parseRfc3339(value);
  if (time === null) throw new CliError('usage', `--at must be a real RFC 3339 time with a zone, like 2026-11-21T22:30:00Z (got "${value}").`);
  return time;
};
