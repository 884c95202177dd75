import { LIVE_NAMESPACE, LIVE_SUBSCRIBE_HANDLER } from '../../src/projections/liveChannels';
import { LIVE_EVENTS_URL_ENV } from '../../src/projections/liveViewPublisher';
import { FUNCTIONS } from '../../infra/functions';
import { logicalIdOf, resourcesOf, statementsOfFunction, synthEngine } from './support';

const synthStarted = Date.now();
const { template } = synthEngine();
const synthEnded = Date.now();
const apiId = logicalIdOf(template, 'AWS::AppSync::Api', 'LiveApi');
const namespaceOf = () => Object.values(resourcesOf(template, 'AWS::AppSync::ChannelNamespace'));
const fnId = (id: string) => logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
const appsyncStatements = (id: string) => statementsOfFunction(template, fnId(id)).filter((s) => s.actions.some((a) => a.startsWith('appsync:')));

describe('live updates through AppSync Events', () => {
  it('one Event API: Cognito (the HTTP API user pool), an API key and IAM; only IAM publishes by default', () => {
    const api = resourcesOf(template, 'AWS::AppSync::Api')[apiId]!.Properties;
    const userPool = logicalIdOf(template, 'AWS::Cognito::UserPool', 'HttpApiUserPool');
    expect(api.Name).toBe('karaoke-live-dev');
    expect(api.EventConfig.AuthProviders).toEqual([
      { AuthType: 'AMAZON_COGNITO_USER_POOLS', CognitoConfig: { UserPoolId: { Ref: userPool }, AwsRegion: { Ref: 'AWS::Region' } } },
      { AuthType: 'API_KEY' },
      { AuthType: 'AWS_IAM' },
    ]);
    expect(api.EventConfig.DefaultPublishAuthModes).toEqual([{ AuthType: 'AWS_IAM' }]);
    expect(api.EventConfig.DefaultSubscribeAuthModes).toEqual([{ AuthType: 'AMAZON_COGNITO_USER_POOLS' }, { AuthType: 'API_KEY' }]);
    expect(api.EventConfig.LogConfig).toEqual({ CloudWatchLogsRoleArn: expect.anything(), LogLevel: 'ERROR' });
  });

  it('a channel namespace per rotation, named from src/: the API key and Cognito subscribe, IAM alone publishes, wildcards refused', () => {
    const namespaces = namespaceOf();
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0]!.Properties).toEqual({
      ApiId: { 'Fn::GetAtt': [apiId, 'ApiId'] },
      Name: LIVE_NAMESPACE,
      PublishAuthModes: [{ AuthType: 'AWS_IAM' }],
      SubscribeAuthModes: [{ AuthType: 'AMAZON_COGNITO_USER_POOLS' }, { AuthType: 'API_KEY' }],
      CodeHandlers: LIVE_SUBSCRIBE_HANDLER,
      HandlerConfigs: {},
    });
  });

  it('the subscribe handler admits one rotation channel and refuses wildcards and other depths', () => {
    // The APPSYNC_JS module run here with a stand-in for @aws-appsync/utils (util.unauthorized throws, as it does there).
    const body = LIVE_SUBSCRIBE_HANDLER.replace(/^import .*$/m, '').replace('export function', 'function');
    const onSubscribe = new Function('util', `${body}\nreturn onSubscribe;`)({ unauthorized: () => { throw new Error('Unauthorized'); } });
    const subscribe = (path: string) => () => onSubscribe({ info: { channel: { path, segments: path.split('/').filter(Boolean) } } });
    expect(subscribe('/rotations/3f1c2a9e-0000-4000-8000-00000000000a')).not.toThrow();
    for (const path of ['/rotations/*', '/rotations', '/rotations/a/b', '/rotations/ab*']) expect(subscribe(path)).toThrow('Unauthorized');
  });

  it('the venue screen key lives a year from each deploy, the most AppSync allows', () => {
    const keys = Object.values(resourcesOf(template, 'AWS::AppSync::ApiKey'));
    expect(keys).toHaveLength(1);
    expect(keys[0]!.Properties.ApiId).toEqual({ 'Fn::GetAtt': [apiId, 'ApiId'] });
    // Set at synth to 365 days on, in whole seconds (rounded either way).
    const year = 365 * 86_400_000;
    const expires = keys[0]!.Properties.Expires * 1000;
    expect(expires).toBeGreaterThanOrEqual(synthStarted + year - 1000);
    expect(expires).toBeLessThanOrEqual(synthEnded + year + 1000);
  });

  it('only the projector may publish, only to the rotations namespace, with the publish URL in its env', () => {
    const publishers = FUNCTIONS.filter((f) => appsyncStatements(f.id).length > 0).map((f) => f.id);
    expect(publishers).toEqual(['Projector']);
    const [grant, ...more] = appsyncStatements('Projector');
    expect(more).toEqual([]);
    expect(grant!.actions).toEqual(['appsync:EventPublish']);
    expect(grant!.resources).toHaveLength(1);
    expect(grant!.resources[0]).toMatch(new RegExp(`/channelNamespace/${LIVE_NAMESPACE}$`));
    const env = resourcesOf(template, 'AWS::Lambda::Function')[fnId('Projector')]!.Properties.Environment.Variables;
    expect(env[LIVE_EVENTS_URL_ENV]).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [apiId, 'Dns.Http'] }, '/event']] });
  });

  it('a failed publish raises LiveUpdatesNotPublished, from the projector log; API logs keep the stage retention', () => {
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).filter((f) => f.Properties.MetricTransformations[0].MetricName === 'LiveUpdatesNotPublished');
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties.FilterPattern).toBe('"live-publish-failed"');
    expect(filters[0]!.Properties.LogGroupName).toEqual({ Ref: logicalIdOf(template, 'AWS::Logs::LogGroup', 'FunctionsProjectorLogs') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'LiveUpdatesNotPublished', Threshold: 0 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { 'Fn::Join': ['', ['/aws/appsync/apis/', { 'Fn::GetAtt': [apiId, 'ApiId'] }]] }, RetentionInDays: 7 });
    // No log-retention custom resource: every Lambda in the stack is a row of the function table.
    expect(Object.keys(resourcesOf(template, 'AWS::Lambda::Function'))).toHaveLength(FUNCTIONS.length);
  });

  it('outputs where the pages subscribe', () => {
    expect(template.findOutputs('LiveEventsRealtimeUrl').LiveEventsRealtimeUrl!.Value).toEqual({ 'Fn::Join': ['', ['wss://', { 'Fn::GetAtt': [apiId, 'Dns.Realtime'] }, '/event/realtime']] });
  });
});
