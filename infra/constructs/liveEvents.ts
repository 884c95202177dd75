/**
 * Live updates in AWS: an AppSync Events API with one channel namespace, `rotations` (a channel per rotation,
 * src/projections/liveChannels.ts). The projector publishes each moved rotation's queue view over HTTP, signed
 * with its IAM role; the pages subscribe over WebSocket:
 * - KJ and singer pages with their Cognito token (the user pool of the HTTP API);
 * - the venue screen, which has no sign-in, with the API key `GET /config` hands out. The namespace lets an API
 *   key subscribe only, so the key is read-only: whoever has it can watch a rotation whose id they know (what
 *   the venue's own screen shows anyway) and can publish nothing.
 * Only IAM may publish, and only the projector's role is granted it. A subscribe handler refuses wildcard
 * channels, so no token or key can watch every rotation at once.
 */
import { Duration, Expiration, RemovalPolicy, aws_appsync as appsync, aws_cognito as cognito, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LIVE_NAMESPACE, LIVE_SUBSCRIBE_HANDLER } from '../../src/projections/liveChannels';
import { LIVE_EVENTS_URL_ENV } from '../../src/projections/liveViewPublisher';

export interface LiveEventsProps {
  readonly stage: string;
  readonly userPool: cognito.IUserPool;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The venue screen's key lives this long from each deploy (AppSync's maximum is 365 days): every deploy renews
 * it, and a stage not deployed for a year loses its venue screens' live updates (infra/README.md).
 */
export const VENUE_KEY_DAYS = 365;

export class LiveEvents extends Construct {
  readonly api: appsync.EventApi;
  readonly namespace: appsync.ChannelNamespace;
  /** The read-only key of the venue screen. */
  readonly venueKey: appsync.CfnApiKey;
  readonly logs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LiveEventsProps) {
    super(scope, id);
    const { USER_POOL, API_KEY, IAM } = appsync.AppSyncAuthorizationType;
    this.api = new appsync.EventApi(this, 'Api', {
      apiName: `karaoke-live-${props.stage}`,
      authorizationConfig: {
        authProviders: [
          { authorizationType: USER_POOL, cognitoConfig: { userPool: props.userPool } },
          { authorizationType: API_KEY, apiKeyConfig: { name: 'VenueScreen', description: 'Venue screens: subscribe only', expires: Expiration.after(Duration.days(VENUE_KEY_DAYS)) } },
          { authorizationType: IAM },
        ],
        connectionAuthModeTypes: [USER_POOL, API_KEY, IAM],
        defaultPublishAuthModeTypes: [IAM],
        defaultSubscribeAuthModeTypes: [USER_POOL, API_KEY],
      },
    });
    // Errors only (refused connections, handler errors), into a log group with the stage's retention. Made here,
    // not through the construct's logConfig, which would add a log-retention custom resource Lambda to the stack.
    this.logs = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logsRole = new iam.Role(this, 'LogsRole', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    this.logs.grantWrite(logsRole);
    (this.api.node.defaultChild as appsync.CfnApi).addPropertyOverride('EventConfig.LogConfig', { CloudWatchLogsRoleArn: logsRole.roleArn, LogLevel: 'ERROR' });
    this.namespace = this.api.addChannelNamespace('Rotations', {
      channelNamespaceName: LIVE_NAMESPACE,
      authorizationConfig: { publishAuthModeTypes: [IAM], subscribeAuthModeTypes: [USER_POOL, API_KEY] },
      code: appsync.Code.fromInline(LIVE_SUBSCRIBE_HANDLER),
    });
    this.venueKey = this.api.apiKeys.VenueScreen!;
  }

  /** `https://<http domain>/event`: where the projector publishes. */
  get publishUrl(): string {
    return `https://${this.api.httpDns}/event`;
  }

  /** `wss://<realtime domain>/event/realtime`: where the pages subscribe. */
  get realtimeUrl(): string {
    return `wss://${this.api.realtimeDns}/event/realtime`;
  }

  /** Publish to the rotations namespace only (no subscribe, no other namespace), with the URL in the env. */
  grantPublish(fn: iam.IGrantable & { addEnvironment(key: string, value: string): unknown }): void {
    this.api.grant(fn, appsync.AppSyncEventResource.ofChannelNamespace(LIVE_NAMESPACE), 'appsync:EventPublish').assertSuccess();
    fn.addEnvironment(LIVE_EVENTS_URL_ENV, this.publishUrl);
  }
}
