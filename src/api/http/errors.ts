import type { Rejection } from '../../aggregates/decider';
import type { RotationRejectionCode } from '../../aggregates/rotation';
import { ConcurrencyError, EventStoreUnavailableError, StoreWriteFailedError } from '../../eventstore/errors';
import { InvalidEventError } from '../../eventstore/eventSchemas';
import { isUnavailable } from '../../eventstore/dynamo';

/** An answer that is not a success: always `{error:{code,message}}` with a 4xx (or, for our own faults, 5xx). */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503,
    readonly code: string,
    message: string,
    /** Extra response headers (Retry-After on a 503). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Whether `err` or one of its first causes passes `test` (a store error arrives wrapped by the SDK or Powertools). */
const causedBy = (err: unknown, test: (e: Error) => boolean): boolean => {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (test(e)) return true;
  return false;
};

/** The store's own unavailable error, or any error caused by an unreachable or throttling table (read models, idempotency). */
const unreachable = (err: unknown): boolean => causedBy(err, (e) => e instanceof EventStoreUnavailableError || isUnavailable(e));

/** Whether the one-machine store's fail-stop (a data folder write that failed) is behind this error. */
export const causedByWriteFailure = (err: unknown): boolean => causedBy(err, (e) => e instanceof StoreWriteFailedError);

/** Seconds a client is told to wait before retrying when the store cannot be reached. */
export const RETRY_AFTER_SECONDS = 1;
/** …and when the data folder could not be written: nothing changes before the KJ restarts the engine. */
const WRITE_FAILED_RETRY_AFTER_SECONDS = 30;

/**
 * The store's own failures as answers (API.md "Errors"): a race still lost after retrying is 409, an
 * unreachable store 503 with Retry-After; never a 500. Null for anything else.
 */
export const storeError = (err: unknown): ApiError | null => {
  if (err instanceof ConcurrencyError) {
    return new ApiError(409, 'conflict', 'The rotation was changing too fast to record this; nothing was written. Try again.');
  }
  if (err instanceof InvalidEventError) return new ApiError(400, 'invalid-request', err.message);
  // Retrying soon does not help here: the laptop needs disk space and a restart (the path stays in its console).
  if (causedByWriteFailure(err)) {
    return new ApiError(503, 'unavailable', 'The engine cannot save to its data folder (is the disk full?); nothing was written. The KJ must free disk space and restart the engine.', {
      'Retry-After': String(WRITE_FAILED_RETRY_AFTER_SECONDS),
    });
  }
  if (unreachable(err)) {
    return new ApiError(503, 'unavailable', 'The store cannot be reached right now; nothing was written. Try again shortly.', {
      'Retry-After': String(RETRY_AFTER_SECONDS),
    });
  }
  return null;
};

export const invalidRequest = (message: string) => new ApiError(400, 'invalid-request', message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** API.md: 404 for what does not exist, 409 for clashes with what does, 422 for other domain rejections. */
const REJECTION_STATUS: Partial<Record<RotationRejectionCode, ApiError['status']>> = {
  forbidden: 403,
  'rotation-not-found': 404,
  'not-in-rotation': 404,
  'song-not-found': 404,
  'already-joined': 409,
  'rotation-already-open': 409,
  'duplicate-id': 409,
  'turn-in-progress': 409,
};

export const rejectionError = (rejection: Rejection): ApiError => {
  const status = REJECTION_STATUS[rejection.code as RotationRejectionCode] ?? 422;
  // API.md names one code per 403 and 404; the domain's finer code stays in the message's subject.
  const code = status === 404 ? 'not-found' : rejection.code;
  return new ApiError(status, code, rejection.message);
};
