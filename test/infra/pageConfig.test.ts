import { PAGE_CONFIG_ENV, awsPageConfigFrom } from '../../src/api/pageConfig';
import { logicalIdOf, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();
const apiFn = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsApi')]!;
const env = apiFn.Properties.Environment.Variables as Record<string, unknown>;
const ref = (type: string, prefix: string) => logicalIdOf(template, type, prefix);

describe('GET /config in AWS', () => {
  it('the API function is told every setting the pages need: Cognito managed sign-in and the AppSync Events channel', () => {
    const eventApi = ref('AWS::AppSync::Api', 'LiveApi');
    expect(Object.keys(PAGE_CONFIG_ENV).filter((key) => env[PAGE_CONFIG_ENV[key as keyof typeof PAGE_CONFIG_ENV]] === undefined)).toEqual([]);
    expect(env).toMatchObject({
      LIVE_TRANSPORT: 'appsync-events',
      COGNITO_REGION: { Ref: 'AWS::Region' },
      COGNITO_USER_POOL_ID: { Ref: ref('AWS::Cognito::UserPool', 'HttpApiUserPool') },
      COGNITO_CLIENT_ID: { Ref: ref('AWS::Cognito::UserPoolClient', 'HttpApiUserPoolWebClient') },
      LIVE_URL: { 'Fn::Join': ['', ['wss://', { 'Fn::GetAtt': [eventApi, 'Dns.Realtime'] }, '/event/realtime']] },
      LIVE_HOST: { 'Fn::GetAtt': [eventApi, 'Dns.Http'] },
      LIVE_API_KEY: { 'Fn::GetAtt': [ref('AWS::AppSync::ApiKey', 'LiveApiVenueScreenApiKey'), 'ApiKey'] },
      PAGES_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ref('AWS::CloudFront::Distribution', 'PagesDistribution'), 'DomainName'] }]] },
    });
  });

  it('answers the AWS shape from exactly that environment', () => {
    const values = Object.fromEntries(Object.values(PAGE_CONFIG_ENV).map((name) => [name, `v-${name}`]));
    const config = awsPageConfigFrom({ ...values, LIVE_TRANSPORT: 'appsync-events' }, 'https://x.execute-api');
    expect(config).toMatchObject({ mode: 'aws', signIn: 'cognito', live: 'appsync-events', liveUrl: 'v-LIVE_URL', liveHost: 'v-LIVE_HOST', liveApiKey: 'v-LIVE_API_KEY', apiUrl: 'v-API_URL' });
  });

  it('the pages ask /config on their own origin: CloudFront sends it to the API, uncached, with the query and headers', () => {
    const distribution = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    const api = ref('AWS::ApiGatewayV2::Api', 'HttpApi');
    const behaviors = distribution.CacheBehaviors as Record<string, any>[];
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['/config']);
    expect(behaviors[0]).toMatchObject({
      AllowedMethods: ['GET', 'HEAD'],
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // AllViewerExceptHostHeader
    });
    const origin = (distribution.Origins as Record<string, any>[]).find((o) => o.Id === behaviors[0]!.TargetOriginId)!;
    expect(JSON.stringify(origin.DomainName)).toContain(api);
    expect(origin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
  });
});
