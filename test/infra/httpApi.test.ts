import { stageSettings } from '../../infra/config';
import { logicalIdOf, referencedId, resourcesOf, statementsOfFunction, synthEngine } from './support';

const { template } = synthEngine();
const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route'));
const routeKeys = routes.map((r) => r.Properties.RouteKey as string);

/** API.md's route table, minus the /dev routes that exist only on one machine. */
const API_MD_ROUTES = [
  'POST /rotations',
  'GET /rotations/{rotationId}/queue',
  'POST /rotations/{rotationId}/singers',
  'POST /rotations/{rotationId}/singers/{singerId}/songs',
  'DELETE /rotations/{rotationId}/singers/{singerId}/songs/{songId}',
  'POST /rotations/{rotationId}/singers/{singerId}/skip',
  'POST /rotations/{rotationId}/singers/{singerId}/away',
  'POST /rotations/{rotationId}/singers/{singerId}/back',
  'DELETE /rotations/{rotationId}/singers/{singerId}',
  'POST /rotations/{rotationId}/singers/{singerId}/move',
  'POST /rotations/{rotationId}/turns',
  'POST /rotations/{rotationId}/turns/{turnId}/start',
  'POST /rotations/{rotationId}/turns/{turnId}/complete',
  'POST /rotations/{rotationId}/turns/{turnId}/forfeit',
  'POST /rotations/{rotationId}/close',
  'GET /rotations/{rotationId}/events',
  'GET /rotations/{rotationId}/state',
  'GET /singers/{singerId}/history',
  'PUT /singers/{singerId}/contact',
  // The songbook (added 2026-12).
  'PUT /songbook',
  'POST /songbook/songs',
  'PUT /songbook/songs/{bookSongId}',
  'DELETE /songbook/songs/{bookSongId}',
  'GET /songbook',
  'GET /rotations/{rotationId}/songbook',
  'GET /rotations/{rotationId}/songbook/popular',
];

/** Open to anyone (API.md): liveness, the OpenAPI document and its page, the pages' config, join codes. */
const PUBLIC = ['GET /health', 'GET /openapi.json', 'GET /docs', 'GET /config', 'GET /join/{code}', 'GET /j/{code}'];

describe('HTTP API with Cognito', () => {
  it('routes every API.md route and the public ones, and nothing under /dev', () => {
    expect([...routeKeys].sort()).toEqual([...API_MD_ROUTES, ...PUBLIC].sort());
    expect(routeKeys.some((k) => k.includes('/dev'))).toBe(false);
  });

  it('puts the Cognito JWT authorizer on every route except the public ones', () => {
    const authorizer = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', 'HttpApiCognitoJwt');
    for (const route of routes) {
      if (PUBLIC.includes(route.Properties.RouteKey)) {
        expect(route.Properties.AuthorizationType).toBe('NONE');
        expect(route.Properties.AuthorizerId).toBeUndefined();
      } else {
        expect(route.Properties.AuthorizationType).toBe('JWT');
        expect(referencedId(route.Properties.AuthorizerId)).toBe(authorizer);
      }
    }
  });

  it('trusts only tokens this user pool issued for this app client', () => {
    const pool = logicalIdOf(template, 'AWS::Cognito::UserPool', 'HttpApiUserPool');
    const client = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', 'HttpApiUserPoolWebClient');
    const [authorizer] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer!.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer!.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(authorizer!.Properties.JwtConfiguration.Audience).toEqual([{ Ref: client }]);
    expect(JSON.stringify(authorizer!.Properties.JwtConfiguration.Issuer)).toContain(`"Ref":"${pool}"`);
    expect(JSON.stringify(authorizer!.Properties.JwtConfiguration.Issuer)).toContain('https://cognito-idp.');
  });

  it('has exactly the kj and singer groups the API reads from cognito:groups', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['kj', 'singer']);
  });

  it('puts self-signed-up users in the singer group through the post-confirmation trigger, which may only add group members', () => {
    const trigger = logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsSingerOnSignUp');
    const [pool] = Object.values(resourcesOf(template, 'AWS::Cognito::UserPool'));
    expect(pool!.Properties.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false).toBe(false);
    expect(referencedId(pool!.Properties.LambdaConfig.PostConfirmation)).toBe(trigger);
    expect(pool!.Properties.LambdaConfig.PreTokenGeneration).toBeUndefined();
    const statements = statementsOfFunction(template, trigger).filter((s) => s.actions.some((a) => a.startsWith('cognito-idp:')));
    expect(statements.map((s) => ({ actions: s.actions, resources: s.resources }))).toEqual([
      // This pool only (no userpool/*).
      { actions: ['cognito-idp:AdminAddUserToGroup'], resources: [logicalIdOf(template, 'AWS::Cognito::UserPool', 'HttpApiUserPool')] },
    ]);
  });

  it('sends every route to the API Lambda', () => {
    const api = logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsApi');
    const [integration] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Integration'));
    expect(referencedId(integration!.Properties.IntegrationUri)).toBe(api);
    expect(integration!.Properties.PayloadFormatVersion).toBe('2.0');
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
  });

  it('outputs what a client needs to connect', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'EventBusName']));
  });

  it('lets the pages read Idempotent-Replayed across origins (CORS expose headers)', () => {
    const [api] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Api'));
    expect(api!.Properties.CorsConfiguration.ExposeHeaders).toEqual(['Idempotent-Replayed']);
  });

  it('throttles the stage and writes a JSON access log line per request, per stage settings', () => {
    const [stage, ...more] = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
    expect(more).toHaveLength(0);
    const dev = stageSettings({ stage: 'dev' });
    expect(stage!.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: dev.apiThrottle.rateLimit, ThrottlingBurstLimit: dev.apiThrottle.burstLimit },
    });
    // Guessing join codes spends the join routes' own budget, never the stage's.
    const join = { ThrottlingRateLimit: dev.guessableThrottle.rateLimit, ThrottlingBurstLimit: dev.guessableThrottle.burstLimit };
    expect(stage!.Properties.RouteSettings).toEqual({ 'GET /join/{code}': join, 'GET /j/{code}': join });
    expect(dev.guessableThrottle.rateLimit).toBeLessThan(dev.apiThrottle.rateLimit);
    const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'HttpApiAccessLogs');
    expect(stage!.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroup, 'Arn'] });
    const format = JSON.parse(stage!.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', responseLatency: '$context.responseLatency' });
    expect(JSON.stringify(format)).not.toMatch(/requestBody|authorization/i);
  });

  it('prod: higher limits, termination protection, INFO logs kept three months; dev: a week', () => {
    const { stack, template: prod } = synthEngine({ stage: 'prod', alarmEmail: 'ops@example.com' });
    expect(stack.terminationProtection).toBe(true);
    expect(synthEngine().stack.terminationProtection).toBe(false);
    const [stage] = Object.values(resourcesOf(prod, 'AWS::ApiGatewayV2::Stage'));
    expect(stage!.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBe(stageSettings({ stage: 'prod' }).apiThrottle.rateLimit);
    const retentions = (t: typeof prod) => new Set(Object.values(resourcesOf(t, 'AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays));
    expect([...retentions(prod)]).toEqual([90]);
    expect([...retentions(template)]).toEqual([7]);
    const levels = new Set(Object.values(resourcesOf(prod, 'AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables?.POWERTOOLS_LOG_LEVEL));
    expect([...levels]).toEqual(['INFO']);
  });

  it('offers Cognito managed sign-in to the pages: code flow only (PKCE, public client), back to the CloudFront pages', () => {
    const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'PagesDistribution');
    const [client] = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    const pageUrl = (page: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, `/${page}`]] });
    expect(client!.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [pageUrl('kj.html'), pageUrl('singer.html')],
      LogoutURLs: [pageUrl('index.html')],
    });
    const [domain] = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolDomain'));
    expect(domain!.Properties.Domain).toEqual({ 'Fn::Join': ['', ['karaoke-dev-', { Ref: 'AWS::AccountId' }]] });
    expect(Object.keys(template.toJSON().Outputs)).toEqual(expect.arrayContaining(['PagesUrl', 'SignInDomain']));
  });
});
