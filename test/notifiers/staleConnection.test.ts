/**
 * Review R: an alert that certainly never reached SNS or SES must not be given up as "uncertain".
 *
 * The SDK keeps connections alive between sends. In Lambda the container is frozen between invocations (alerts come
 * minutes apart), the service closes the idle connection meanwhile, and on thaw the SDK may write the next request
 * on that dead socket before Node has seen the close: ECONNRESET / "socket hang up", the well-known reused-socket
 * race. The service never read a byte of that request. With maxAttempts 1 and ECONNRESET read as "may have been
 * delivered", the alert is recorded 'uncertain' and never sent: the singer is not told they are up.
 *
 * Stand-in: a loopback SNS/SES that answers the first request on a connection and resets the connection when a
 * second request arrives on it (the service closed it while idle; the request is dropped unread).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { createDynamoContactStore } from '../../src/notifiers/contacts';
import { alertKeyOf } from '../../src/notifiers/dedupe';
import type { TurnAlertNotifier } from '../../src/notifiers/port';
import { ALERTS_EMAIL_FROM_ENV } from '../../src/notifiers/sesEmail';
import { withEmbeddedDynamo } from '../support/dynamo';
import { alert } from './support';

const startIdleClosingAws = async () => {
  const delivered: string[] = [];
  const served = new WeakSet<object>();
  const server = http.createServer((req, res) => {
    if (served.has(req.socket)) return void req.socket.destroy(); // closed while idle: this request is never read
    served.add(req.socket);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      if (body.includes('Action=Publish')) {
        delivered.push('sns');
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>');
      } else if (req.url === '/v2/email/outbound-emails') {
        delivered.push('ses');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: 'm' }));
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delivered,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};

const dynamo = withEmbeddedDynamo();
const savedEnv = { ...process.env };
let aws: Awaited<ReturnType<typeof startIdleClosingAws>>;
let notifier: TurnAlertNotifier;

beforeAll(async () => {
  aws = await startIdleClosingAws();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SNS: aws.url,
    AWS_ENDPOINT_URL_SESV2: aws.url,
    [ALERTS_EMAIL_FROM_ENV]: 'alerts@karaoke.example.com',
    ...Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [TABLES[key].envVar, dynamo.tableNames[key]])),
  });
  jest.isolateModules(() => {
    notifier = (require('../../src/workflows/lambda/awsDeps') as typeof import('../../src/workflows/lambda/awsDeps')).awsNotifier();
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await aws?.close();
});

let n = 0;
const singerOn = async (channel: 'sms' | 'email') => {
  const singerId = `singer-${++n}`;
  await createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts }).put({
    singerId,
    phone: '+15551230001',
    email: 'amy@example.com',
    channels: [channel],
    updatedAt: '2025-01-01T19:00:00.000Z',
  });
  const a = alert({ singerId, turnId: `turn-${n}` });
  return { alert: a, alertKey: alertKeyOf({ rotationId: a.rotationId, turnId: a.turnId, singerId, kind: a.kind, channel }) };
};

describe.each([['sms'], ['email']] as const)('%s: the next alert after the service closed an idle connection', (channel) => {
  it('is delivered (the dropped request never reached the service), not given up as uncertain', async () => {
    const first = await singerOn(channel);
    expect((await notifier.notify(first.alert)).deliveries).toEqual([{ channel, alertKey: first.alertKey, outcome: 'sent' }]);

    const second = await singerOn(channel);
    const outcome = (await notifier.notify(second.alert)).deliveries;
    // The workflow's retry of a failed step would be the only other chance; an 'uncertain' alert gets none.
    const retried = outcome[0]?.outcome === 'failed' ? (await notifier.notify(second.alert)).deliveries : outcome;
    expect(retried).toEqual([{ channel, alertKey: second.alertKey, outcome: 'sent' }]);
    expect(aws.delivered.filter((s) => s === (channel === 'sms' ? 'sns' : 'ses'))).toHaveLength(2);
  });
});
