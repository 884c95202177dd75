import { STREAM_RETRY_ATTEMPTS } from '../../infra/constructs/streamConsumer';
import { FUNCTIONS } from '../../infra/functions';
import { tableConstructId } from '../../infra/constructs/tables';
import { LIVE_PUBLISH_TIMEOUT_MS } from '../../src/projections/liveViewPublisher';
import { LIVE_PUBLISH_BUDGET_MS } from '../../src/projections/liveViews';
import { logicalIdOf, referencedId, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();
const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
const streamConsumers = FUNCTIONS.filter((f) => f.trigger.kind === 'eventsStream').map((f) => f.id);

describe('events stream consumers (projections, publisher)', () => {
  it('reads the events stream with exactly the functions the table declares as stream consumers', () => {
    expect(streamConsumers.sort()).toEqual(['Projector', 'StreamPublisher']);
    const eventsTable = logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId('events')}`);
    const consumers = mappings.map((m) => {
      expect(m.Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [eventsTable, 'StreamArn'] });
      return referencedId(m.Properties.FunctionName);
    });
    expect(consumers.sort()).toEqual(streamConsumers.map((id) => logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`)).sort());
  });

  it.each(streamConsumers)('%s: per-item failures, bisected, bounded retries, in order from the oldest record', (id) => {
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
    const mapping = mappings.find((m) => referencedId(m.Properties.FunctionName) === fn)!;
    expect(mapping.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
      ParallelizationFactor: 1,
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(STREAM_RETRY_ATTEMPTS).toBeGreaterThan(0);
    expect(STREAM_RETRY_ATTEMPTS).toBeLessThanOrEqual(10);
  });

  it('the projector\'s best-effort live publishing (budget plus one publish\'s timeout) takes at most a quarter of its Lambda timeout', () => {
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsProjector')]!;
    expect(fn.Properties.Timeout).toBe(FUNCTIONS.find((f) => f.id === 'Projector')!.timeoutSeconds);
    expect((LIVE_PUBLISH_BUDGET_MS + LIVE_PUBLISH_TIMEOUT_MS) / 1000).toBeLessThanOrEqual(fn.Properties.Timeout / 4);
  });

  it.each(streamConsumers)('%s: sends what it gives up on to its own SQS dead-letter queue', (id) => {
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
    const mapping = mappings.find((m) => referencedId(m.Properties.FunctionName) === fn)!;
    const destination = referencedId(mapping.Properties.DestinationConfig.OnFailure.Destination)!;
    expect(resourcesOf(template, 'AWS::SQS::Queue')[destination]).toBeDefined();
    expect(destination).toBe(logicalIdOf(template, 'AWS::SQS::Queue', `${id}StreamDlq`));
  });

  it('gives each consumer a different dead-letter queue', () => {
    const destinations = mappings.map((m) => referencedId(m.Properties.DestinationConfig.OnFailure.Destination));
    expect(new Set(destinations).size).toBe(mappings.length);
  });
});
