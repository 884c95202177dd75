/** The sign-up trigger with a mocked Cognito client (no local Cognito exists), asserting the exact request. */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
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
