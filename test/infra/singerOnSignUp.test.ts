/** The sign-up trigger with a mocked Cognito client (no local Cognito exists), asserting the exact request; and bundled, against a loopback stand-in of Cognito's API. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../../infra/bundling';
import { FUNCTIONS } from '../../infra/functions';
import { createSingerOnSignUp } from '../../infra/cognito/singerOnSignUp';

const event = (triggerSource: PostConfirmationTriggerEvent['triggerSource']): PostConfirmationTriggerEvent =>
  ({
    version: '1',
    triggerSource,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool1',
    userName: 'alice-uuid',
    callerContext: { awsSdkVersion: '1', clientId: 'client' },
    request: { userAttributes: { sub: 'alice-uuid', email: 'alice@example.com' } },
    response: {},
  }) as PostConfirmationTriggerEvent;

describe('Cognito post-confirmation: new users become singers', () => {
  it('adds a user who confirmed their sign-up to the singer group and hands the event back', async () => {
    const sent: { command: string; input: unknown }[] = [];
    const send = jest.fn(async (command: any) => void sent.push({ command: command.constructor.name, input: command.input }));
    const input = event('PostConfirmation_ConfirmSignUp');
    expect(await createSingerOnSignUp({ send } as never)(input)).toBe(input);
    expect(sent).toEqual([{ command: 'AdminAddUserToGroupCommand', input: { UserPoolId: 'eu-west-1_Pool1', Username: 'alice-uuid', GroupName: 'singer' } }]);
  });

  it('does nothing on a confirmed password reset (a KJ stays only a KJ)', async () => {
    const send = jest.fn();
    await createSingerOnSignUp({ send } as never)(event('PostConfirmation_ConfirmForgotPassword'));
    expect(send).not.toHaveBeenCalled();
  });

  it('fails the confirmation when the group cannot be joined (Cognito retries; the user is not left roleless silently)', async () => {
    const send = jest.fn(async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' })));
    await expect(createSingerOnSignUp({ send } as never)(event('PostConfirmation_ConfirmSignUp'))).rejects.toThrow('Rate exceeded');
  });
});

describe('the sign-up trigger as it deploys (bundled, loaded with Node\'s require)', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-sign-up-'));
  const savedEnv = { ...process.env };
  const received: { target: string; body: unknown }[] = [];
  let cognito: http.Server;

  beforeAll(async () => {
    // Cognito's JSON protocol on loopback: records each request, answers as AdminAddUserToGroup does (empty).
    cognito = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        received.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`,
    });
  });

  afterAll(async () => {
    process.env = savedEnv;
    await new Promise((resolve) => cognito.close(resolve));
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('puts the confirmed user in the singer group with one AdminAddUserToGroup, and hands the event back', async () => {
    const spec = FUNCTIONS.find((f) => f.trigger.kind === 'cognitoPostConfirmation')!;
    const outfile = path.join(outDir, 'index.js');
    await build(esbuildOptionsFor(spec.entry, outfile));
    const handler = createRequire(outfile)(outfile)[spec.handler] as (e: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent>;
    const input = event('PostConfirmation_ConfirmSignUp');
    expect(await handler(input)).toEqual(input);
    expect(received).toEqual([
      { target: 'AWSCognitoIdentityProviderService.AdminAddUserToGroup', body: { UserPoolId: 'eu-west-1_Pool1', Username: 'alice-uuid', GroupName: 'singer' } },
    ]);
  });
});
