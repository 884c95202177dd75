/**
 * A loopback proxy in front of the test's dynalite that records every DynamoDB call that crosses it: the action
 * (X-Amz-Target) and each table (and index) it names. Code pointed at it (AWS_ENDPOINT_URL_DYNAMODB) runs as
 * before; the record is what IAM would be asked to allow, to compare with a function's synthesized policy.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoCall {
  /** e.g. 'BatchWriteItem' */
  readonly action: string;
  readonly table: string;
  readonly index?: string;
}

export interface RecordingDynamo {
  readonly endpoint: string;
  readonly calls: DynamoCall[];
  close(): Promise<void>;
}

const tablesOf = (body: Record<string, unknown>): string[] => {
  if (typeof body.TableName === 'string') return [body.TableName];
  // BatchWriteItem / BatchGetItem name their tables as the keys of RequestItems.
  if (body.RequestItems && typeof body.RequestItems === 'object') return Object.keys(body.RequestItems);
  return [];
};

export const startRecordingDynamo = async (target: string): Promise<RecordingDynamo> => {
  const calls: DynamoCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const action = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const body = JSON.parse(raw.toString() || '{}') as Record<string, unknown>;
      for (const table of tablesOf(body)) calls.push({ action, table, ...(typeof body.IndexName === 'string' ? { index: body.IndexName } : {}) });
      const upstream = http.request(target, { method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
