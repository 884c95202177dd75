/**
 * CloudWatch alarms for what needs a person: a Lambda erroring or throttled, anything landing in a dead-letter
 * queue, a turn workflow failing. All go to one ops topic (never the singers' alerts topic), with an optional
 * email subscriber.
 */
import {
  Duration,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_lambda as lambda,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
  aws_stepfunctions as sfn,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface EngineMonitoringProps {
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

export class EngineMonitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: EngineMonitoringProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Karaoke rotation engine alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.alarmTopic);
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
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

  watchStateMachine(id: string, stateMachine: sfn.IStateMachine): void {
    this.alarm(`${id}ExecutionsFailed`, stateMachine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} executions failed`);
    this.alarm(`${id}ExecutionsTimedOut`, stateMachine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), `${id} executions timed out`);
  }
}
