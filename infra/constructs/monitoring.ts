/**
 * CloudWatch alarms for what needs a person: a Lambda erroring or throttled, a stream consumer falling behind,
 * the API answering 5xx or slowly, an alert not delivered, a live update not published, the SES reputation that
 * decides whether email can go at all, anything landing in a dead-letter queue, a turn workflow failing, aborted
 * or timing out. All go to one ops topic, with an email subscriber (required for prod, infra/config.ts).
 * infra/README.md says what each one means.
 */
import {
  Duration,
  aws_apigatewayv2 as apigw,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENGINE_METRIC_NAMESPACE, PROJECTION_POISON_METRIC } from '../../src/projections/poisonRecords';

export interface EngineMonitoringProps {
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Where the engine's own metrics live (those CloudWatch does not make by itself); the code writes them there. */
export { ENGINE_METRIC_NAMESPACE, PROJECTION_POISON_METRIC } from '../../src/projections/poisonRecords';
/** Count of AlertSingers attempts that left some alert undelivered (from its log, by error name). */
export const ALERTS_NOT_DELIVERED_METRIC = 'AlertsNotDelivered';
/** Count of rotations whose fresh queue view the projector could not publish to their live channel. */
export const LIVE_UPDATES_NOT_PUBLISHED_METRIC = 'LiveUpdatesNotPublished';
/** SES account reputation (fractions): alarm at AWS's recommended maxima, well under where SES pauses sending. */
export const EMAIL_BOUNCE_RATE_ALARM = 0.05;
export const EMAIL_COMPLAINT_RATE_ALARM = 0.001;
/** A stream consumer this far behind (ms) is not keeping up: the queue view and the workflow lag the log. */
export const ITERATOR_AGE_ALARM_MS = 60_000;
/** p99 API latency (ms) above this for 3 five-minute periods in a row. */
export const API_LATENCY_ALARM_MS = 3_000;

interface AlarmShape {
  readonly threshold?: number;
  readonly evaluationPeriods?: number;
}

export class EngineMonitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: EngineMonitoringProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Karaoke rotation engine alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.alarmTopic);
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string, shape: AlarmShape = {}): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: shape.threshold ?? 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: shape.evaluationPeriods ?? 1,
      // No data = nothing happened: not an alarm, and not "insufficient data" noise on a quiet night.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }

  /** Any error, any throttle: both mean a request, a stream batch or a turn step did not run as written. */
  watchFunction(id: string, fn: lambda.IFunction): void {
    this.alarm(`${id}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} Lambda threw errors`);
    this.alarm(`${id}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} Lambda was throttled`);
  }

  /** A dead letter is work the engine gave up on; someone must look and redrive. */
  watchDeadLetterQueue(id: string, queue: sqs.IQueue): void {
    this.alarm(
      `${id}DlqNotEmpty`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      `${id}: messages in the dead-letter queue (inspect, then redrive)`,
    );
  }

  /** Failed, aborted (someone stopped it) or timed out (stuck past the state machine's TimeoutSeconds). */
  watchStateMachine(id: string, stateMachine: sfn.IStateMachine): void {
    this.alarm(`${id}ExecutionsFailed`, stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} executions failed`);
    this.alarm(`${id}ExecutionsAborted`, stateMachine.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} executions were aborted`);
    this.alarm(`${id}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} executions timed out`);
  }

  /**
   * A stream consumer reports failed records per item and never throws, so its Errors alarm stays quiet while it
   * retries: the age of the newest record it read is what shows it falling behind.
   */
  watchStreamConsumer(id: string, fn: lambda.IFunction): void {
    this.alarm(
      `${id}IteratorAge`,
      fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      `${id} is more than ${ITERATOR_AGE_ALARM_MS / 1000} s behind the events stream`,
      { threshold: ITERATOR_AGE_ALARM_MS, evaluationPeriods: 3 },
    );
  }

  /**
   * A commit a read model can never apply is logged as a poison record (an EMF line, src/projections/
   * poisonRecords.ts) and passed over so its shard goes on: that rotation's read model is behind until someone
   * looks. Any one alarms.
   */
  watchProjectionPoison(id: string): void {
    this.alarm(
      id,
      new cloudwatch.Metric({ namespace: ENGINE_METRIC_NAMESPACE, metricName: PROJECTION_POISON_METRIC, period: FIVE_MINUTES, statistic: 'Sum' }),
      'A read model passed over a commit it cannot apply (poison record): its rotation view is behind the log',
    );
  }

  /** Hono answers 500 without throwing, so the API Lambda's Errors alarm misses them: watch the stage's 5xx. */
  watchHttpApi(id: string, api: apigw.IHttpApi): void {
    this.alarm(`${id}ServerErrors`, api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} answered 5xx`);
    this.alarm(
      `${id}Latency`,
      api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      `${id} p99 latency above ${API_LATENCY_ALARM_MS} ms for 15 minutes`,
      { threshold: API_LATENCY_ALARM_MS, evaluationPeriods: 3 },
    );
  }

  /**
   * AlertSingers throws AlertDeliveryFailedError when an SMS or email was not delivered; the workflow retries and
   * then goes on without it (alerts are best effort), so the turn does not fail. This counts those throws from the
   * function's log (the Lambda runtime logs the error type) and alarms on any.
   */
  watchAlertDelivery(id: string, logGroup: logs.ILogGroup, errorName: string): void {
    const filter = new logs.MetricFilter(this, `${id}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(`"${errorName}"`),
      metricNamespace: ENGINE_METRIC_NAMESPACE,
      metricName: ALERTS_NOT_DELIVERED_METRIC,
      metricValue: '1',
    });
    this.alarm(id, filter.metric({ period: FIVE_MINUTES, statistic: 'Sum' }), 'A turn alert (SMS or email) was not delivered');
  }

  /**
   * The projector publishes live views best effort and logs each one it could not (the batch does not fail: the
   * read model is right). Screens then show an old queue until the next commit: worth a look, not a page at 2am.
   */
  watchLiveUpdates(id: string, logGroup: logs.ILogGroup, failureEvent: string): void {
    const filter = new logs.MetricFilter(this, `${id}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(`"${failureEvent}"`),
      metricNamespace: ENGINE_METRIC_NAMESPACE,
      metricName: LIVE_UPDATES_NOT_PUBLISHED_METRIC,
      metricValue: '1',
    });
    this.alarm(id, filter.metric({ period: FIVE_MINUTES, statistic: 'Sum' }), 'A live update (queue view) was not published to its rotation channel');
  }

  /**
   * SES reviews, then pauses, an account whose bounce rate passes 10% or complaint rate 0.5%: alarm well before
   * (AWS's own advice: 5% and 0.1%), since a paused account sends no email alert at all. Account-wide metrics.
   */
  watchEmailReputation(): void {
    const rate = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, period: Duration.minutes(15), statistic: 'Maximum' });
    this.alarm('EmailBounceRate', rate('Reputation.BounceRate'), 'SES bounce rate above 5% (the account is paused past 10%)', { threshold: EMAIL_BOUNCE_RATE_ALARM });
    this.alarm('EmailComplaintRate', rate('Reputation.ComplaintRate'), 'SES complaint rate above 0.1% (the account is paused past 0.5%)', { threshold: EMAIL_COMPLAINT_RATE_ALARM });
  }
}
