/**
 * Another process on the same machine, trying to read the engine's contacts (test/local/privateStore.test.ts):
 * it finds every TCP port the engine's process listens on (from /proc) and asks each for a DynamoDB Scan of the
 * contacts table, then tries to open the data folder's store itself. Prints what it got as one JSON line.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CONTACTS_TABLE } from '../../../src/eventstore/tables';
import { startEmbeddedDynamo } from '../../../src/local/embeddedDynamo';

const [pidArg, dataDir] = process.argv.slice(2);
const pid = Number(pidArg);

/** Listening TCP ports whose socket inode is one of the process's open files. */
const listeningPorts = (): number[] => {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      /* closed meanwhile */
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue; // 0A: LISTEN
      ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
};

const main = async () => {
  const ports = listeningPorts();
  const scans: Record<string, unknown> = {};
  for (const port of ports) {
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      const { Items } = await client.send(new ScanCommand({ TableName: CONTACTS_TABLE.tableName }));
      scans[port] = { items: Items };
    } catch (err) {
      scans[port] = { error: (err as Error).name };
    } finally {
      client.destroy();
    }
  }
  let folder: string;
  try {
    const opened = await startEmbeddedDynamo({ dataDir: dataDir!, transport: 'in-process' });
    await opened.close();
    folder = 'opened';
  } catch (err) {
    folder = (err as Error).name;
  }
  console.log(JSON.stringify({ ports, scans, folder }));
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
