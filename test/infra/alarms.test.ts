import { FUNCTIONS } from '../../infra/functions';
import { ALERTS_NOT_DELIVERED_METRIC, API_LATENCY_ALARM_MS, ENGINE_METRIC_NAMESPACE, ITERATOR_AGE_ALARM_MS, PROJECTION_POISON_METRIC } from '../../infra/constructs/monitoring';
import { TURN_EXECUTION_TIMEOUT_SECONDS } from '../../src/workflows/names';
import { actionsOn, logicalIdOf, referencedId, resourcesOf, statementsOfRole, synthEngine } from './support';

const { template } = synthEngine({ alarmEmail: 'ops@example.com' });
const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
const alarmTopic = logicalIdOf(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');

const alarmsOn = (metricName: string, dimension: string, logicalId: string) =>
  alarms.filter(
    (a) => a.Properties.MetricName === metricName && a.Properties.Dimensions?.some((d: any) => d.Name === dimension && referencedId(d.Value) === logicalId),
  );

describe('CloudWatch alarms', () => {
  it.each(FUNCTIONS.map((f) => f.id))('%s: alarms on any error and any throttle', (id) => {
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
    for (const metric of ['Errors', 'Throttles']) {
      const [alarm, ...more] = alarmsOn(metric, 'FunctionName', fn);
      expect(more).toHaveLength(0);
      expect(alarm!.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('alarms on any poison record a projection passed over (the metric its EMF log line makes)', () => {
    const [alarm, ...more] = alarms.filter((a) => a.Properties.MetricName === PROJECTION_POISON_METRIC);
    expect(more).toHaveLength(0);
    expect(alarm!.Properties).toMatchObject({ Namespace: ENGINE_METRIC_NAMESPACE, Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm!.Properties.AlarmActions.map(referencedId)).toEqual([alarmTopic]);
  });

  it('alarms as soon as any dead-letter queue holds a message', () => {
    const queues = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
    const ruleCount = FUNCTIONS.flatMap((f) => (f.trigger.kind === 'busRules' ? f.trigger.rules : [])).length;
    const streamConsumerCount = FUNCTIONS.filter((f) => f.trigger.kind === 'eventsStream').length;
    const asyncTargetCount = FUNCTIONS.filter((f) => f.trigger.kind === 'busRules' || f.trigger.kind === 'schedule').length;
    const scheduleCount = FUNCTIONS.filter((f) => f.trigger.kind === 'schedule').length;
    expect(queues.length).toBe(ruleCount + streamConsumerCount + asyncTargetCount + scheduleCount);
    for (const queue of queues) {
      const [alarm, ...more] = alarms.filter(
        (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && a.Properties.Dimensions.some((d: any) => d.Name === 'QueueName'),
      ).filter((a) => a.Properties.Dimensions.some((d: any) => JSON.stringify(d.Value).includes(queue)));
      expect(more).toHaveLength(0);
      expect(alarm!.Properties).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' });
    }
  });

  it('alarms on failed, aborted and timed-out turn workflows; timed-out can fire because the machine has a timeout', () => {
    const stateMachine = logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'TurnWorkflowStateMachine');
    for (const metric of ['ExecutionsFailed', 'ExecutionsAborted', 'ExecutionsTimedOut']) {
      expect(alarmsOn(metric, 'StateMachineArn', stateMachine)).toHaveLength(1);
    }
    const definition = JSON.parse(resourcesOf(template, 'AWS::StepFunctions::StateMachine')[stateMachine]!.Properties.DefinitionString);
    expect(definition.TimeoutSeconds).toBe(TURN_EXECUTION_TIMEOUT_SECONDS);
  });

  it.each(FUNCTIONS.filter((f) => f.trigger.kind === 'eventsStream').map((f) => f.id))(
    '%s: alarms when it falls a minute behind the events stream (it never throws, so Errors stays quiet)',
    (id) => {
      const fn = logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
      const [alarm, ...more] = alarmsOn('IteratorAge', 'FunctionName', fn);
      expect(more).toHaveLength(0);
      expect(alarm!.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Maximum', Threshold: ITERATOR_AGE_ALARM_MS, EvaluationPeriods: 3 });
    },
  );

  it('alarms on any API 5xx and on slow p99 latency of the HTTP API stage', () => {
    const api = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'HttpApi');
    const [errors] = alarmsOn('5xx', 'ApiId', api);
    expect(errors!.Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Threshold: 0 });
    const [latency] = alarmsOn('Latency', 'ApiId', api);
    expect(latency!.Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', ExtendedStatistic: 'p99', Threshold: API_LATENCY_ALARM_MS, EvaluationPeriods: 3 });
  });

  it('counts undelivered alerts from the AlertSingers log (by error name) and alarms on any', () => {
    const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'FunctionsAlertSingersLogs');
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logGroup },
      FilterPattern: '"AlertDeliveryFailedError"',
      MetricTransformations: [{ MetricNamespace: ENGINE_METRIC_NAMESPACE, MetricName: ALERTS_NOT_DELIVERED_METRIC, MetricValue: '1' }],
    });
    const [alarm, ...more] = alarms.filter((a) => a.Properties.MetricName === ALERTS_NOT_DELIVERED_METRIC);
    expect(more).toHaveLength(0);
    expect(alarm!.Properties).toMatchObject({ Namespace: ENGINE_METRIC_NAMESPACE, Statistic: 'Sum', Threshold: 0 });
  });

  it.each(FUNCTIONS.filter((f) => f.trigger.kind === 'busRules' || f.trigger.kind === 'schedule').map((f) => f.id))(
    '%s (invoked asynchronously by EventBridge or the Scheduler): a failed event goes to an SQS on-failure destination that has an alarm',
    (id) => {
      const fn = logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
      const queue = logicalIdOf(template, 'AWS::SQS::Queue', `${id}AsyncFailures`);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fn },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
      const role = referencedId(resourcesOf(template, 'AWS::Lambda::Function')[fn]!.Properties.Role)!;
      expect(actionsOn(statementsOfRole(template, role), queue)).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    },
  );

  it('every function invoked asynchronously (bus targets, schedules) has an on-failure destination; no other has one', () => {
    const configured = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig')).map((c) => referencedId(c.Properties.FunctionName));
    const asyncTargets = FUNCTIONS.filter((f) => f.trigger.kind === 'busRules' || f.trigger.kind === 'schedule').map((f) => logicalIdOf(template, 'AWS::Lambda::Function', `Functions${f.id}`));
    expect(configured.sort()).toEqual(asyncTargets.sort());
  });

  it('notifies the ops topic (not the singers’ alerts topic) on alarm and on recovery, with the configured email', () => {
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions.map(referencedId)).toEqual([alarmTopic]);
      expect(alarm.Properties.OKActions.map(referencedId)).toEqual([alarmTopic]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: alarmTopic } });
  });

  it('has no email subscription when no alarm email is configured', () => {
    synthEngine().template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('runs the reconciler on an EventBridge Scheduler schedule, retried, with its own dead-letter queue', () => {
    const spec = FUNCTIONS.find((f) => f.trigger.kind === 'schedule')!;
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', `Functions${spec.id}`);
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', `${spec.id}ScheduleDlq`);
    const [schedule, ...more] = Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'));
    expect(more).toHaveLength(0);
    expect(schedule!.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } }, RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
  });
});
