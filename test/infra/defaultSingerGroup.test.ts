import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { handler } from '../../infra/cognito/defaultSingerGroup';
import { principalFromClaims } from '../../src/api/http/principal';

const eventWithGroups = (groups: string[]): PreTokenGenerationTriggerEvent =>
  ({
    version: '1',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'eu-west-1',
    userPoolId: 'pool',
    userName: 'alice',
    callerContext: { awsSdkVersion: '1', clientId: 'client' },
    request: { userAttributes: { sub: 'alice-sub' }, groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [] } },
    response: { claimsOverrideDetails: {} },
  }) as PreTokenGenerationTriggerEvent;

describe('Cognito pre-token generation: default singer role', () => {
  it('puts a user in no group into the singer role, which the API then recognises', async () => {
    const out = await handler(eventWithGroups([]));
    const groups = out.response.claimsOverrideDetails?.groupOverrideDetails?.groupsToOverride;
    expect(groups).toEqual(['singer']);
    expect(principalFromClaims({ sub: 'alice-sub', 'cognito:groups': groups })).toMatchObject({ role: 'singer' });
  });

  it('never overrides the groups of a user an admin placed in one (a KJ stays a KJ)', async () => {
    const out = await handler(eventWithGroups(['kj']));
    expect(out.response.claimsOverrideDetails?.groupOverrideDetails).toBeUndefined();
  });
});
