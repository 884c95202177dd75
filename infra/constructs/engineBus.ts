/**
 * The engine's EventBridge bus: the stream publisher puts every domain event on it, rules route them to
 * Lambda targets (each with a dead-letter queue), and an archive keeps them for replay.
 */
import { Duration, aws_events as events, aws_events_targets as targets, aws_lambda as lambda, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_EVENT_BUS_NAME, EVENT_SOURCE } from '../../src/eventbus/constants';
import type { EventPattern } from '../../src/eventbus/matcher';
import { createDeadLetterQueue } from './deadLetterQueue';

/**
 * The shared patterns are written as EventBridge's JSON (`detail-type`); CDK's EventPattern spells that key
 * `detailType` and renders it back, passing every value through unchanged.
 */
export const toCdkEventPattern = (pattern: EventPattern): events.EventPattern => {
  const { 'detail-type': detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...rest, ...(detailType !== undefined ? { detailType } : {}) } as events.EventPattern;
};

export interface EngineBusProps {
  readonly stage: string;
  readonly archiveRetentionDays: number;
}

export interface LambdaRuleProps {
  /** Construct id of the rule; also names its dead-letter queue and alarm. */
  readonly ruleId: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly target: lambda.IFunction;
}

export class EngineBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  /** Dead-letter queue of each rule target, by rule id (for alarms). */
  readonly targetDeadLetterQueues = new Map<string, sqs.Queue>();

  constructor(scope: Construct, id: string, props: EngineBusProps) {
    super(scope, id);
    // Named per stage: bus names are unique per account and region.
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: `${DEFAULT_EVENT_BUS_NAME}-${props.stage}` });
    // Everything the engine publishes, so any night can be replayed to the rules (StartReplay).
    this.archive = this.bus.archive('Archive', {
      description: 'Every rotation domain event, for replay',
      eventPattern: { source: [EVENT_SOURCE] },
      // 0 = keep forever (no RetentionDays).
      ...(props.archiveRetentionDays > 0 ? { retention: Duration.days(props.archiveRetentionDays) } : {}),
    });
    // Without a key CDK still renders `KmsKeyIdentifier: ""`, which some regions reject at deploy: leave it out
    // (the archive then uses an AWS owned key, the default).
    (this.archive.node.defaultChild as events.CfnArchive).addPropertyDeletionOverride('KmsKeyIdentifier');
  }

  /** A rule on this bus → a Lambda, retried for a bounded time, then parked in the rule's own DLQ. */
  addLambdaRule({ ruleId, description, pattern, target }: LambdaRuleProps): events.Rule {
    const deadLetterQueue = createDeadLetterQueue(this, `${ruleId}TargetDlq`);
    this.targetDeadLetterQueues.set(ruleId, deadLetterQueue);
    const rule = new events.Rule(this, ruleId, { eventBus: this.bus, description, eventPattern: toCdkEventPattern(pattern) });
    rule.addTarget(
      new targets.LambdaFunction(target, {
        deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(1),
      }),
    );
    return rule;
  }
}
