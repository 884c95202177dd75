import type { Rejection } from '../../aggregates/decider';
import type { RotationRejectionCode } from '../../aggregates/rotation';

/** An answer that is not a success: always `{error:{code,message}}` with a 4xx (or, for our own faults, 5xx). */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

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
