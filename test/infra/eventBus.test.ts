import {
  EVENT_SOURCE,
  ROTATION_MAY_ADVANCE_PATTERN,
  TURN_CALLED_PATTERN,
  TURN_ENDED_PATTERN,
  TURN_STARTED_PATTERN,
} from '../../src/eventbus/constants';
import { RULE_TARGET_ENTRIES } from '../../src/workflows/lambda';
import { TURN_WORKFLOW_RULES } from '../../src/workflows/rules';
import { FUNCTIONS, ruleConstructId } from '../../infra/functions';
import { logicalIdOf, referencedId, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();
const rules = resourcesOf(template, 'AWS::Events::Rule');
const bus = logicalIdOf(template, 'AWS::Events::EventBus', 'EventBus');

describe('EventBridge bus, rules and archive', () => {
  it('names the bus per stage and archives every engine event on it for replay', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'karaoke-rotation-dev' });
    template.resourceCountIs('AWS::Events::Archive', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [bus, 'Arn'] },
      EventPattern: { source: [EVENT_SOURCE] },
      RetentionDays: 365,
    });
  });

  it('leaves KmsKeyIdentifier out of the archive (CDK renders "" without a key, which some regions refuse)', () => {
    const [archive] = Object.values(resourcesOf(template, 'AWS::Events::Archive'));
    expect(Object.keys(archive!.Properties)).not.toContain('KmsKeyIdentifier');
  });

  it('keeps archived events forever when archiveRetentionDays=0', () => {
    const forever = synthEngine({ archiveRetentionDays: 0 }).template;
    expect(Object.values(resourcesOf(forever, 'AWS::Events::Archive'))[0]!.Properties.RetentionDays ?? 0).toBe(0);
  });

  it('has one rule per rule of src/workflows/rules.ts (the local bus adds the same ones), and no other', () => {
    expect(Object.keys(rules)).toHaveLength(TURN_WORKFLOW_RULES.length);
    expect(TURN_WORKFLOW_RULES.map((r) => r.pattern)).toEqual(
      expect.arrayContaining([TURN_CALLED_PATTERN, TURN_STARTED_PATTERN, TURN_ENDED_PATTERN, ROTATION_MAY_ADVANCE_PATTERN]),
    );
  });

  it.each(TURN_WORKFLOW_RULES.map((r) => [r.name, r.target, r] as const))(
    '%s targets the %s Lambda and matches the shared pattern exactly',
    (name, target, workflowRule) => {
      const rule = rules[logicalIdOf(template, 'AWS::Events::Rule', `EventBus${ruleConstructId(name)}`)]!;
      expect(rule.Properties.EventBusName).toEqual({ Ref: bus });
      // The same JSON the local bus matches with (src/eventbus/matcher.ts): kebab-case keys, operators intact.
      expect(rule.Properties.EventPattern).toEqual(JSON.parse(JSON.stringify(workflowRule.pattern)));
      const fn = FUNCTIONS.find((f) => f.entry === RULE_TARGET_ENTRIES[target].entry && f.handler === RULE_TARGET_ENTRIES[target].handler)!;
      expect(rule.Properties.Targets).toHaveLength(1);
      expect(referencedId(rule.Properties.Targets[0].Arn)).toBe(logicalIdOf(template, 'AWS::Lambda::Function', `Functions${fn.id}`));
    },
  );

  it('retries each target a bounded number of times, then parks the event in that rule’s own DLQ', () => {
    const queues = new Set<string>();
    for (const rule of Object.values(rules)) {
      const [target] = rule.Properties.Targets;
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeLessThanOrEqual(185);
      expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeLessThanOrEqual(86400);
      const dlq = referencedId(target.DeadLetterConfig.Arn)!;
      expect(resourcesOf(template, 'AWS::SQS::Queue')[dlq]).toBeDefined();
      queues.add(dlq);
    }
    expect(queues.size).toBe(Object.keys(rules).length);
  });

  it('lets only EventBridge, from that rule, send to a target DLQ', () => {
    for (const rule of Object.keys(rules)) {
      const dlq = referencedId(rules[rule]!.Properties.Targets[0].DeadLetterConfig.Arn)!;
      const policy = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).find((p) =>
        p.Properties.Queues.some((q: unknown) => referencedId(q) === dlq),
      )!;
      const send = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Effect === 'Allow' && s.Action === 'sqs:SendMessage');
      expect(send.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(send.Condition.ArnEquals['aws:SourceArn']).toEqual({ 'Fn::GetAtt': [rule, 'Arn'] });
    }
  });
});
