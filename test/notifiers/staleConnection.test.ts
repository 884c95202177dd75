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
import { withEmbeddedDynamo } from '../support/dynamo';
import { awsNotifierAgainst } from './support';

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
let aws: Awaited<ReturnType<typeof startIdleClosingAws>>;
beforeAll(async () => {
  aws = await startIdleClosingAws();
});
afterAll(() => aws?.close());
const alerts = awsNotifierAgainst(dynamo, () => aws.url);
const { singerOn } = alerts;

describe.each([['sms'], ['email']] as const)('%s: the next alert after the service closed an idle connection', (channel) => {
  it('is delivered (the dropped request never reached the service), not given up as uncertain', async () => {
    const first = await singerOn(channel);
    expect((await alerts.notifier.notify(first.alert)).deliveries).toEqual([{ channel, alertKey: first.alertKey, outcome: 'sent' }]);

    const second = await singerOn(channel);
    const outcome = (await alerts.notifier.notify(second.alert)).deliveries;
    // The workflow's retry of a failed step would be the only other chance; an 'uncertain' alert gets none.
    const retried = outcome[0]?.outcome === 'failed' ? (await alerts.notifier.notify(second.alert)).deliveries : outcome;
    expect(retried).toEqual([{ channel, alertKey: second.alertKey, outcome: 'sent' }]);
    expect(aws.delivered.filter((s) => s === (channel === 'sms' ? 'sns' : 'ses'))).toHaveLength(2);
  });
});
