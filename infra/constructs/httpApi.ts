/**
 * The public face: an API Gateway HTTP API in front of the API Lambda, with Cognito sign-in (user pool,
 * `kj` and `singer` groups) and a JWT authorizer on every route except the public ones (/health, /openapi.json, /docs).
 */
import {
  Duration,
  type RemovalPolicy,
  aws_apigateway as apigw1,
  aws_apigatewayv2 as apigw,
  aws_apigatewayv2_authorizers as authorizers,
  aws_apigatewayv2_integrations as integrations,
  aws_cognito as cognito,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  RemovalPolicy as Removal,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IDEMPOTENT_REPLAYED_HEADER } from '../../src/api/http/idempotency';
import type { PrincipalRole } from '../../src/api/http/principal';
import { AUTHENTICATED_ROUTES, GUESSABLE_ROUTES, PUBLIC_ROUTES } from '../apiRoutes';

/** The Cognito groups are the API's roles (principalFromClaims reads them from `cognito:groups`). */
export const ROLE_GROUPS: Readonly<Record<PrincipalRole, string>> = {
  kj: 'Karaoke jockeys: open and run rotations. Granted by an admin.',
  singer: 'Singers: join rotations and manage their own turns. Every self-signed-up user acts as one.',
};

/** One JSON line per request: who, what, how it ended and how long it took; never a body or a token. */
export const ACCESS_LOG_FORMAT = apigw1.AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    time: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

export interface EngineHttpApiProps {
  readonly handler: lambda.IFunction;
  /** Puts self-signed-up users in the singer group once they confirm. */
  readonly postConfirmation: lambda.IFunction;
  readonly userPoolRemovalPolicy: RemovalPolicy;
  /** Whole-stage limits: requests per second, steady and burst (per stage, infra/config.ts stageSettings). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Each join-code route's own budget (GUESSABLE_ROUTES), well under the stage's. */
  readonly guessableThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  /** `https://<CloudFront domain>`: where Cognito's managed sign-in may send the pages back with a code. */
  readonly pagesOrigin: string;
  /** Prefix of the Cognito sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), unique per region. */
  readonly signInDomainPrefix: string;
}

/** The pages Cognito's managed sign-in returns to (authorization code + PKCE, no client secret). */
export const SIGN_IN_PAGES = ['kj.html', 'singer.html'] as const;

export class EngineHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly stage: apigw.HttpStage;
  readonly signInDomain: cognito.UserPoolDomain;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EngineHttpApiProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { fullname: { required: false, mutable: true } },
      passwordPolicy: { minLength: 12, requireSymbols: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.userPoolRemovalPolicy,
    });
    this.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, props.postConfirmation);
    // Adding a user to a group, in this pool only. Not in the function's default policy: the function waits for
    // that one, the pool waits for the function, and this statement names the pool (a cycle). A policy of its own
    // on the same role is made after the pool, and nothing waits for it.
    if (!props.postConfirmation.role) throw new Error('The post-confirmation trigger needs an execution role of its own');
    new iam.Policy(this, 'SignUpTriggerPolicy', {
      roles: [props.postConfirmation.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'AddSignedUpUserToSingerGroup',
          actions: ['cognito-idp:AdminAddUserToGroup'],
          resources: [this.userPool.userPoolArn],
        }),
      ],
    });
    for (const [groupName, description] of Object.entries(ROLE_GROUPS)) {
      this.userPool.addGroup(`${groupName[0]!.toUpperCase()}${groupName.slice(1)}Group`, { groupName, description });
    }
    this.signInDomain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.signInDomainPrefix } });
    // A public client (phones, the web pages): no secret to leak. The pages sign in through Cognito's managed
    // sign-in with the authorization code flow; as a public client it must send a PKCE code_challenge.
    this.userPoolClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: SIGN_IN_PAGES.map((page) => `${props.pagesOrigin}/${page}`),
        logoutUrls: [`${props.pagesOrigin}/index.html`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
    });

    const authorizer = new authorizers.HttpJwtAuthorizer(
      'CognitoJwt',
      `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`,
      // Checked against `aud` (ID tokens) or `client_id` (access tokens).
      { jwtAudience: [this.userPoolClient.userPoolClientId] },
    );
    const integration = new integrations.HttpLambdaIntegration('ApiIntegration', props.handler, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Karaoke rotation engine: commands and queries (API.md)',
      corsPreflight: {
        allowOrigins: ['*'],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE],
        // Readable by the pages' fetch() across origins (CloudFront → API).
        exposeHeaders: [IDEMPOTENT_REPLAYED_HEADER],
        maxAge: Duration.hours(1),
      },
      // The stage is made below, with throttling and access logs.
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: Removal.DESTROY });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = Object.fromEntries(
      GUESSABLE_ROUTES.map((r) => [
        `${r.method} ${r.path}`,
        { ThrottlingRateLimit: props.guessableThrottle.rateLimit, ThrottlingBurstLimit: props.guessableThrottle.burstLimit },
      ]),
    );
    // Explicit routes (not a catch-all): API Gateway answers unknown paths itself, without invoking the Lambda.
    for (const route of AUTHENTICATED_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration, authorizer });
    }
    for (const route of PUBLIC_ROUTES) {
      this.api.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration });
    }
  }
}
