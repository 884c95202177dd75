/**
 * At most once on the wire: the alert senders exactly as the AWS workflow builds them (src/workflows/lambda/awsDeps.ts),
 * against a loopback stand-in for SNS and SES that counts what reaches it. When the service may have taken a
 * message (the connection drops after the request, or it answers 5xx), neither the SDK nor the workflow's retry
 * (a second notify) sends it again; a refusal (throttled) is sent again on the retry.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mayHaveBeenDelivered } from '../../src/notifiers/atMostOnce';
import { withEmbeddedDynamo } from '../support/dynamo';
import { awsNotifierAgainst } from './support';

type Answer = 'ok' | 'reset' | 'server-error' | 'throttled';
type Service = 'sns' | 'ses';

/** SNS (query protocol, XML) and SES v2 (REST JSON) on one loopback port, each answering from its queue of answers. */
const startFakeAws = async () => {
  const received: Service[] = [];
  const answers: Record<Service, Answer[]> = { sns: [], ses: [] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      const service: Service | null = body.includes('Action=Publish') ? 'sns' : req.url === '/v2/email/outbound-emails' ? 'ses' : null;
      if (!service) {
        res.writeHead(404).end();
        return;
      }
      received.push(service);
      const answer = answers[service].shift() ?? 'ok';
      // The service has the message; its answer never arrives.
      if (answer === 'reset') return void req.socket.destroy();
      if (service === 'sns') {
        const error = (status: number, code: string) =>
          res.writeHead(status, { 'content-type': 'text/xml' }).end(`<ErrorResponse><Error><Code>${code}</Code><Message>${code}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
        if (answer === 'server-error') return void error(500, 'InternalError');
        if (answer === 'throttled') return void error(400, 'Throttling');
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>');
        return;
      }
      const error = (status: number, type: string) =>
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type }).end(JSON.stringify({ message: type }));
      if (answer === 'server-error') return void error(500, 'InternalServiceErrorException');
      if (answer === 'throttled') return void error(429, 'TooManyRequestsException');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: 'm' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};

const dynamo = withEmbeddedDynamo();
let aws: Awaited<ReturnType<typeof startFakeAws>>;
beforeAll(async () => {
  aws = await startFakeAws();
});
afterAll(() => aws?.close());
const alerts = awsNotifierAgainst(dynamo, () => aws.url);
const { singerOn } = alerts;

const statusOf = async (alertKey: string) =>
  (await DynamoDBDocumentClient.from(dynamo.client).send(new GetCommand({ TableName: dynamo.tableNames.alerts, Key: { alertKey }, ConsistentRead: true }))).Item?.status;

describe('turn alerts are sent at most once, even when a send fails after reaching SNS or SES', () => {
  it.each([
    ['sms', 'reset'],
    ['sms', 'server-error'],
    ['email', 'reset'],
    ['email', 'server-error'],
  ] as const)('%s, answer %s: one request in all, recorded uncertain, and the retried step sends nothing', async (channel, answer) => {
    const service: Service = channel === 'sms' ? 'sns' : 'ses';
    const { alert: a, alertKey } = await singerOn(channel);
    aws.received.length = 0;
    aws.answers[service].push(answer);

    const first = await alerts.notifier.notify(a);
    expect(first.deliveries).toEqual([{ channel, alertKey, outcome: 'failed', error: expect.stringMatching(/^AlertDeliveryUncertainError: .*may have been delivered/) }]);
    // The workflow retries the step (AlertDeliveryFailedError): the alert is not claimed again.
    const retried = await alerts.notifier.notify(a);
    expect(retried.deliveries).toEqual([{ channel, alertKey, outcome: 'duplicate' }]);

    expect(aws.received).toEqual([service]);
    expect(await statusOf(alertKey)).toBe('uncertain');
  });

  it.each([['sms'], ['email']] as const)('%s refused (throttled): nothing was sent, so the retried step sends it, once', async (channel) => {
    const service: Service = channel === 'sms' ? 'sns' : 'ses';
    const { alert: a, alertKey } = await singerOn(channel);
    aws.received.length = 0;
    aws.answers[service].push('throttled');

    expect((await alerts.notifier.notify(a)).deliveries).toEqual([{ channel, alertKey, outcome: 'failed', error: expect.any(String) }]);
    expect(await statusOf(alertKey)).toBe('failed');
    expect((await alerts.notifier.notify(a)).deliveries).toEqual([{ channel, alertKey, outcome: 'sent' }]);
    expect((await alerts.notifier.notify(a)).deliveries).toEqual([{ channel, alertKey, outcome: 'duplicate' }]);
    expect(aws.received).toEqual([service, service]);
  });

  it('only an answer below 500, a connection never made, or an error before any request counts as not delivered', () => {
    const sdkError = (metadata: object, code?: string) => Object.assign(new Error('x'), { $metadata: { attempts: 1, ...metadata }, ...(code ? { code } : {}) });
    expect(mayHaveBeenDelivered(sdkError({ httpStatusCode: 400 }))).toBe(false);
    expect(mayHaveBeenDelivered(sdkError({ httpStatusCode: 429 }))).toBe(false);
    expect(mayHaveBeenDelivered(sdkError({}, 'ECONNREFUSED'))).toBe(false);
    expect(mayHaveBeenDelivered(new Error('ALERTS_EMAIL_FROM is not set'))).toBe(false);
    expect(mayHaveBeenDelivered(sdkError({ httpStatusCode: 503 }))).toBe(true);
    expect(mayHaveBeenDelivered(sdkError({}, 'ECONNRESET'))).toBe(true);
    expect(mayHaveBeenDelivered(Object.assign(sdkError({}), { name: 'TimeoutError' }))).toBe(true);
  });
});
