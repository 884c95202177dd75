/**
 * The whole engine as one stack: tables, functions, the HTTP API with Cognito, the bus with its rules and
 * archive, the turn workflow, alert channels (SNS SMS, SES email), live updates (AppSync Events), dead-letter
 * queues, alarms and outputs.
 * Environment-agnostic (no account or region baked in), so `cdk synth` runs offline without credentials.
 */
import {
  Aws,
  CfnOutput,
  Duration,
  Stack,
  aws_lambda as lambda,
  aws_lambda_destinations as destinations,
  aws_scheduler as scheduler,
  aws_scheduler_targets as schedulerTargets,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { disposableRemovalPolicy, durableRemovalPolicy, stageSettings, type EngineConfig } from './config';
import { LIVE_TRANSPORTS, PAGE_CONFIG_ENV } from '../src/api/pageConfig';
import { CONFIG_ENDPOINT } from '../src/api/routes/publicVenueRoutes';
import { LIVE_PUBLISH_FAILED_EVENT } from '../src/projections/liveViews';
import { AlertDeliveryFailedError } from '../src/workflows/errors';
import { TURN_SUBSTITUTIONS } from '../src/workflows/names';
import { createDeadLetterQueue } from './constructs/deadLetterQueue';
import type { FunctionSpec } from './functionSpec';
import { FUNCTIONS } from './functions';
import { AlertChannels } from './constructs/alertChannels';
import { AnchorBucket } from './constructs/anchorBucket';
import { EngineBus } from './constructs/engineBus';
import { EngineFunctions } from './constructs/engineFunctions';
import { EngineHttpApi } from './constructs/httpApi';
import { EngineMonitoring } from './constructs/monitoring';
import { connectStreamConsumer } from './constructs/streamConsumer';
import { LiveEvents } from './constructs/liveEvents';
import { EngineTables } from './constructs/tables';
import { TABLES, type TableKey } from '../src/eventstore/tables';
import { TurnWorkflow } from './constructs/turnWorkflow';
import { WebPages } from './constructs/webPages';

export interface RotationEngineStackProps extends StackProps {
  readonly config: EngineConfig;
  /** The function table; tests may pass a variant. */
  readonly functions?: readonly FunctionSpec[];
}

export class RotationEngineStack extends Stack {
  readonly tables: EngineTables;
  readonly functions: EngineFunctions;
  readonly engineBus: EngineBus;
  readonly workflow: TurnWorkflow;
  readonly httpApi: EngineHttpApi;
  readonly monitoring: EngineMonitoring;
  readonly pages: WebPages;
  readonly anchors: AnchorBucket;
  readonly live: LiveEvents;

  constructor(scope: Construct, id: string, props: RotationEngineStackProps) {
    const settings = stageSettings(props.config);
    super(scope, id, { terminationProtection: settings.terminationProtection, ...props });
    const { config } = props;
    const specs = props.functions ?? FUNCTIONS;

    this.tables = new EngineTables(this, 'Tables', {
      durableRemovalPolicy: durableRemovalPolicy(config),
      disposableRemovalPolicy: disposableRemovalPolicy(),
    });
    const alerts = new AlertChannels(this, 'TurnAlerts', { stage: config.stage, ...(config.emailIdentity ? { emailIdentity: config.emailIdentity } : {}) });
    this.anchors = new AnchorBucket(this, 'Anchors');
    this.engineBus = new EngineBus(this, 'EventBus', { stage: config.stage, archiveRetentionDays: config.archiveRetentionDays });
    this.monitoring = new EngineMonitoring(this, 'Monitoring', config.alarmEmail ? { alarmEmail: config.alarmEmail } : {});
    if (alerts.email) this.monitoring.watchEmailReputation();

    this.functions = new EngineFunctions(this, 'Functions', {
      specs,
      code: config.lambdaCode,
      stage: config.stage,
      logLevel: settings.logLevel,
      logRetention: settings.logRetention,
      tables: this.tables.byKey,
      alerts,
      bus: this.engineBus.bus,
      anchors: this.anchors,
    });

    const taskFunctions = new Map(
      this.functions.all.flatMap(({ spec, fn }) => (spec.trigger.kind === 'turnWorkflowTask' ? [[spec.trigger.substitutionKey, fn] as const] : [])),
    );
    this.workflow = new TurnWorkflow(this, 'TurnWorkflow', { stage: config.stage, taskFunctions, logRetention: settings.logRetention });
    this.functions.grantTurnWorkflow(this.workflow);
    this.monitoring.watchStateMachine('TurnWorkflow', this.workflow.stateMachine);
    this.monitoring.watchProjectionPoison('ProjectionPoisonRecords');

    const single = (kind: FunctionSpec['trigger']['kind']) => {
      const found = this.functions.all.filter((f) => f.spec.trigger.kind === kind);
      if (found.length !== 1) throw new Error(`Expected exactly one ${kind} function in infra/functions.ts, found ${found.length}`);
      return found[0]!.fn;
    };

    for (const { spec, fn } of this.functions.all) {
      this.monitoring.watchFunction(spec.id, fn);
      const trigger = spec.trigger;
      if (trigger.kind === 'eventsStream') {
        const dlq = connectStreamConsumer(this, spec.id, { table: this.tables.byKey.events, consumer: fn, batchSize: trigger.batchSize });
        this.monitoring.watchDeadLetterQueue(`${spec.id}Stream`, dlq);
        this.monitoring.watchStreamConsumer(spec.id, fn);
      } else if (trigger.kind === 'busRules') {
        for (const rule of trigger.rules) {
          this.engineBus.addLambdaRule({ ruleId: rule.id, description: rule.description, pattern: rule.pattern, target: fn });
          this.monitoring.watchDeadLetterQueue(rule.id, this.engineBus.targetDeadLetterQueues.get(rule.id)!);
        }
        this.keepAsyncFailures(spec.id, fn);
      } else if (trigger.kind === 'schedule') {
        const dlq = createDeadLetterQueue(this, `${spec.id}ScheduleDlq`);
        new scheduler.Schedule(this, `${spec.id}Schedule`, {
          description: trigger.description,
          schedule: scheduler.ScheduleExpression.rate(Duration.minutes(trigger.everyMinutes)),
          target: new schedulerTargets.LambdaInvoke(fn, { deadLetterQueue: dlq, retryAttempts: 2, maxEventAge: Duration.minutes(trigger.everyMinutes) }),
        });
        this.monitoring.watchDeadLetterQueue(`${spec.id}Schedule`, dlq);
        this.keepAsyncFailures(spec.id, fn);
      }
      if (trigger.kind === 'turnWorkflowTask' && trigger.substitutionKey === TURN_SUBSTITUTIONS.alertSingers) {
        this.monitoring.watchAlertDelivery('AlertsNotDelivered', fn.logGroup, AlertDeliveryFailedError.name);
      }
    }

    // The pages' files are uploaded with real code only: assertion tests synthesize stubs and do not build them.
    this.pages = new WebPages(this, 'Pages', { upload: config.lambdaCode === 'bundled' });
    const pagesOrigin = `https://${this.pages.distribution.distributionDomainName}`;

    this.httpApi = new EngineHttpApi(this, 'HttpApi', {
      pagesOrigin,
      // Cognito domain prefixes are unique per region across all accounts: the account id makes ours so.
      signInDomainPrefix: `karaoke-${config.stage}-${Aws.ACCOUNT_ID}`,
      handler: single('httpApi'),
      postConfirmation: single('cognitoPostConfirmation'),
      userPoolRemovalPolicy: durableRemovalPolicy(config),
      throttle: settings.apiThrottle,
      guessableThrottle: settings.guessableThrottle,
      logRetention: settings.logRetention,
    });
    this.monitoring.watchHttpApi('HttpApi', this.httpApi.api);

    // Live updates: subscribers sign in with the same user pool; the projector publishes.
    this.live = new LiveEvents(this, 'Live', { stage: config.stage, userPool: this.httpApi.userPool, logRetention: settings.logRetention });
    for (const { spec, fn } of this.functions.all) {
      if (!spec.publishesLiveViews) continue;
      this.live.grantPublish(fn);
      this.monitoring.watchLiveUpdates('LiveUpdatesNotPublished', fn.logGroup, LIVE_PUBLISH_FAILED_EVENT);
    }

    // GET /config: how the pages sign in and follow a rotation here (src/api/pageConfig.ts), on the pages' origin;
    // GET /j/{code} sends phones to the pages' origin (publicUrl).
    const api = single('httpApi');
    const pageConfig: Record<keyof typeof PAGE_CONFIG_ENV, string> = {
      apiUrl: this.httpApi.api.apiEndpoint,
      publicUrl: pagesOrigin,
      region: Aws.REGION,
      userPoolId: this.httpApi.userPool.userPoolId,
      clientId: this.httpApi.userPoolClient.userPoolClientId,
      domain: this.httpApi.signInDomain.baseUrl(),
      live: 'appsync-events' satisfies (typeof LIVE_TRANSPORTS)[number],
      liveUrl: this.live.realtimeUrl,
      liveHost: this.live.api.httpDns,
      liveApiKey: this.live.venueKey.attrApiKey,
    };
    for (const [key, value] of Object.entries(pageConfig) as [keyof typeof PAGE_CONFIG_ENV, string][]) api.addEnvironment(PAGE_CONFIG_ENV[key], value);
    this.pages.routeConfigTo(this.httpApi.api, CONFIG_ENDPOINT.path);

    new CfnOutput(this, 'PagesUrl', { value: pagesOrigin, description: 'The KJ, singer and venue pages' });
    new CfnOutput(this, 'SignInDomain', { value: this.httpApi.signInDomain.baseUrl(), description: 'Cognito managed sign-in (authorization code + PKCE)' });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.api.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.httpApi.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.httpApi.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'LiveEventsRealtimeUrl', { value: this.live.realtimeUrl, description: 'AppSync Events: where the pages subscribe' });
    new CfnOutput(this, 'LiveEventsHttpDomain', { value: this.live.api.httpDns, description: 'AppSync Events: HTTP domain (publish, and the host subscribers authorize against)' });
    new CfnOutput(this, 'AnchorBucketName', { value: this.anchors.bucket.bucketName, description: 'Closed rotations\' heads (rotation audit --verify)' });
    new CfnOutput(this, 'EventBusName', { value: this.engineBus.bus.eventBusName });
    new CfnOutput(this, 'TableNames', {
      value: (Object.keys(TABLES) as TableKey[]).map((key) => `${TABLES[key].envVar}=${this.tables.byKey[key].tableName}`).join(' '),
      description: 'The tables as the rotation CLI reads them from the environment (export these, then --endpoint aws)',
    });
    new CfnOutput(this, 'TurnStateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    if (alerts.email) {
      new CfnOutput(this, 'AlertEmailFrom', { value: alerts.email.from, description: 'Sender of email alerts (SES)' });
      // A domain identity sends only after these CNAME records are published (an address identity: after its link).
      alerts.email.identity.dkimRecords.forEach((record, i) => {
        if (!config.emailIdentity?.includes('@')) new CfnOutput(this, `EmailDkimRecord${i + 1}`, { value: `${record.name} CNAME ${record.value}`, description: 'Publish in DNS' });
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn, description: 'Subscribe here for alarms' });
  }

  /**
   * EventBridge and the Scheduler invoke their Lambda targets asynchronously: once Lambda accepts an event, a
   * handler error is retried by Lambda and then dropped unless the function has an on-failure destination.
   */
  private keepAsyncFailures(id: string, fn: lambda.IFunction): void {
    const dlq = createDeadLetterQueue(this, `${id}AsyncFailures`);
    fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(dlq), retryAttempts: 2, maxEventAge: Duration.hours(1) });
    this.monitoring.watchDeadLetterQueue(`${id}Async`, dlq);
  }
}
