/**
 * Wires a Lambda to the events table's DynamoDB stream the way the projections and the publisher need it:
 * in commit order, failures reported per record, poison batches split and bounded, then parked in a DLQ.
 */
import { Duration, aws_dynamodb as dynamodb, aws_lambda as lambda, aws_lambda_event_sources as sources, aws_sqs as sqs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { createDeadLetterQueue } from './deadLetterQueue';

export interface StreamConsumerProps {
  readonly table: dynamodb.ITable;
  readonly consumer: lambda.IFunction;
  readonly batchSize: number;
}

/** Retries before a record's batch goes to the DLQ (bisecting narrows each retry to the failing half). */
export const STREAM_RETRY_ATTEMPTS = 5;

export const connectStreamConsumer = (scope: Construct, id: string, { table, consumer, batchSize }: StreamConsumerProps): sqs.Queue => {
  const deadLetterQueue = createDeadLetterQueue(scope, `${id}StreamDlq`);
  consumer.addEventSource(
    new sources.DynamoEventSource(table, {
      // Streams keep 24 h: start from the oldest record so a new consumer (or a redeploy) misses nothing.
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize,
      // One batch per shard at a time: records of one rotation stream stay in commit order.
      parallelizationFactor: 1,
      // The handler returns batchItemFailures: only the failed record and those after it are retried.
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: STREAM_RETRY_ATTEMPTS,
      // Older than the stream's own retention is gone anyway; give up before that and keep the pointer in the DLQ.
      maxRecordAge: Duration.hours(23),
      onFailure: new sources.SqsDlq(deadLetterQueue),
      // Commits are only ever inserted; MODIFY/REMOVE would not be new events.
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
    }),
  );
  return deadLetterQueue;
};
