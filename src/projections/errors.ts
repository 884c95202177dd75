import { CodedError } from '../codedError';

/** Typed projection errors: callers branch on the stable `code`; the message is for a person. */
export abstract class ProjectionError extends CodedError {}

/** Someone else moved the read model of this stream first (a concurrent delivery): reload and try again. */
export class ProjectionConflictError extends ProjectionError {
  override readonly code = 'projection-conflict' as const;

  constructor(
    readonly projection: string,
    readonly streamId: string,
    readonly expectedVersion: number,
    options?: { cause?: unknown },
  ) {
    super(`${projection}: ${streamId} is no longer at version ${expectedVersion} (another delivery applied first).`, options);
  }
}

/** Commits between the read model and a delivered commit are not in the event table (they must always be). */
export class StreamGapError extends ProjectionError {
  override readonly code = 'stream-gap' as const;

  constructor(
    readonly streamId: string,
    readonly fromVersion: number,
    readonly toVersion: number,
  ) {
    super(`${streamId}: commits ${fromVersion}–${toVersion} are missing from the event table, so it cannot be projected past them.`);
  }
}

/** A stream record that does not carry a commit (wrong view type, or not an item of the event table). */
export class MalformedStreamRecordError extends ProjectionError {
  override readonly code = 'malformed-stream-record' as const;

  constructor(
    readonly sequenceNumber: string,
    problem: string,
  ) {
    super(`Stream record ${sequenceNumber} is not a commit: ${problem}`);
  }
}

/** The read model item would not fit DynamoDB's 400 KB item limit with room to spare. */
export class ReadModelTooLargeError extends ProjectionError {
  override readonly code = 'read-model-too-large' as const;

  constructor(
    readonly projection: string,
    readonly key: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`${projection} item ${key} would be ${sizeBytes} bytes; this projection stores at most ${limitBytes}.`);
  }
}

/** The stable code and message of anything thrown (ours carry a `code`; the SDK's a `name`), for logs and reports. */
export const describeError = (err: unknown): { code: string; message: string } => {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; name?: unknown; message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
  };
};

/** A queue view could not be published to its live channel (AppSync Events refused it, or could not be reached). */
export class LivePublishError extends ProjectionError {
  override readonly code = 'live-publish-failed' as const;

  constructor(problem: string, options?: { cause?: unknown }) {
    super(`Live update not published: ${problem}`, options);
  }
}
