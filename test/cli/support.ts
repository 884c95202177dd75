import { runCli } from '../../src/cli/run';
import type { EmbeddedDynamoHandle } from '../support/dynamo';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process against the test file's dynalite (--endpoint), times in UTC. */
export const cli = async (dynamo: EmbeddedDynamoHandle, args: string[], { tty = false } = {}): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--endpoint', dynamo.endpoint], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty, columns: 200 },
    env: {},
    timeZone: 'UTC',
  });
  return { code, stdout, stderr };
};
