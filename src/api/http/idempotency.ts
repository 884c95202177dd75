import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ApiError, causedByWriteFailure } from './errors';

/** Set on an answer replayed from an earlier request with the same Idempotency-Key (CORS exposes it in AWS). */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** A response as stored for replay: what the first request was answered. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotentRequest {
  /** Whose key it is: keys are per caller, so two callers can never collide. */
  readonly scope: string;
  readonly key: string;
  /** Method, path and body: the same key with a different fingerprint is a reused key, not a retry. */
  readonly fingerprint: string;
}

export interface IdempotencyGuard {
  /** In Lambda: the invocation's context, so a crashed request's key is freed when its time runs out. */
  registerLambdaContext(context: { getRemainingTimeInMillis(): number }): void;
  run(request: IdempotentRequest, execute: () => Promise<StoredResponse>): Promise<{ response: StoredResponse; replayed: boolean }>;
}

interface Options {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly expiresAfterSeconds?: number;
  /** How long a duplicate waits for the first request, still in progress, to finish. */
  readonly waitForInProgressMs?: number;
  /** Off Lambda: how long a request may hold its key in progress before another may take it over. */
  readonly requestBudgetMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** `Idempotency-Key` on writes, with Powertools' idempotency utility and its DynamoDB persistence layer. */
export const createIdempotencyGuard = ({
  client,
  tableName,
  expiresAfterSeconds = 24 * 60 * 60,
  waitForInProgressMs = 15_000,
  requestBudgetMs = 30_000,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}: Options): IdempotencyGuard => {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[scope, key]',
    payloadValidationJmesPath: 'fingerprint',
    expiresAfterSeconds,
    throwOnNoIdempotencyKey: true,
  });
  config.registerLambdaContext({ getRemainingTimeInMillis: () => requestBudgetMs } as never);
  // Powertools hashes only the JMESPath selections, so the closure to run can travel beside the payload.
  const once = makeIdempotent(
    async (_request: IdempotentRequest, execute: () => Promise<StoredResponse>) => execute(),
    { persistenceStore, config, dataIndexArgument: 0 },
  );

  return {
    registerLambdaContext(context) {
      config.registerLambdaContext(context as never);
    },
    async run(request, execute) {
      let executed = false;
      let answered: StoredResponse | undefined;
      const tracked = async () => {
        executed = true;
        answered = await execute();
        return answered;
      };
      const deadline = Date.now() + waitForInProgressMs;
      for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
        try {
          const response = await once({ scope: request.scope, key: request.key, fingerprint: request.fingerprint }, tracked);
          return { response, replayed: !executed };
        } catch (err) {
          // The request ran and its change is saved, but the data folder refused the key's record after it (the
          // one-machine store's fail-stop, src/local/embeddedDynamo.ts): its own answer is the truth, not "nothing
          // was written" (its commit is in the log before the failed write, so a restart keeps it).
          if (answered !== undefined && causedByWriteFailure(err)) return { response: answered, replayed: false };
          if (err instanceof IdempotencyValidationError) {
            throw new ApiError(422, 'idempotency-key-reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request.');
          }
          if (err instanceof IdempotencyAlreadyInProgressError && Date.now() < deadline) {
            await sleep(wait);
            continue;
          }
          if (err instanceof IdempotencyAlreadyInProgressError) {
            throw new ApiError(409, 'conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.');
          }
          throw err;
        }
      }
    },
  };
};
