import { FUNCTIONS } from '../../infra/functions';
import { logicalIdOf, referencedId, resourcesOf, synthEngine } from './support';

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

  it('alarms as soon as any dead-letter queue holds a message', () => {
    const queues = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
    const ruleCount = FUNCTIONS.flatMap((f) => (f.trigger.kind === 'busRules' ? f.trigger.rules : [])).length;
    const streamConsumerCount = FUNCTIONS.filter((f) => f.trigger.kind === 'eventsStream').length;
    expect(queues.length).toBe(ruleCount + streamConsumerCount);
    for (const queue of queues) {
      const [alarm, ...more] = alarms.filter(
        (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && a.Properties.Dimensions.some((d: any) => d.Name === 'QueueName'),
      ).filter((a) => a.Properties.Dimensions.some((d: any) => JSON.stringify(d.Value).includes(queue)));
      expect(more).toHaveLength(0);
      expect(alarm!.Properties).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' });
    }
  });

  it('alarms on failed and timed-out turn workflows', () => {
    const stateMachine = logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'TurnWorkflowStateMachine');
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(alarmsOn(metric, 'StateMachineArn', stateMachine)).toHaveLength(1);
    }
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
});
