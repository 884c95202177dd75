import { CodedError } from '../codedError';

/**
 * Typed event store errors. Callers branch on the stable `code`, never on the message, which is for a person.
 */
export abstract class EventStoreError extends CodedError {}

/** Someone else appended at the version we expected to write: reload and re-decide. */
export class ConcurrencyError extends EventStoreError {
  override readonly code = 'conflict' as const;

  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Stream ${streamId} has moved past version ${expectedVersion}: another command was appended first.`,
      options,
    );
  }
}

/** A commit must fit one DynamoDB item; it is refused, never truncated. */
export class CommitTooLargeError extends EventStoreError {
  override readonly code = 'commit-too-large' as const;

  constructor(
    readonly streamId: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `This change is too large to record (${formatKb(sizeBytes)} KB, the limit is ${formatKb(limitBytes)} KB). ` +
        'Split it into smaller commands.',
    );
  }
}

/** DynamoDB could not be reached or is throttling; the command can be retried later. */
export class EventStoreUnavailableError extends EventStoreError {
  override readonly code = 'store-unavailable' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The embedded store failed to write its data folder (disk full, file too large, I/O error). LevelDB's log may
 * then hold a torn record, and a restart drops whatever follows it, so from then on the store refuses every write
 * until the engine is restarted: nothing is acknowledged that a restart would lose.
 */
export class StoreWriteFailedError extends EventStoreError {
  override readonly code = 'store-write-failed' as const;

  constructor(cause: unknown) {
    super(
      `Writing to the data folder failed (${(cause as Error | undefined)?.message ?? String(cause)}): no more changes are saved ` +
        'until the engine is restarted. Free some disk space, then stop the engine (Ctrl-C) and start it again; everything saved before is kept.',
      { cause },
    );
  }
}

/** The embedded store's data folder is in use by another engine (process or instance). */
export class StoreLockedError extends EventStoreError {
  override readonly code = 'store-locked' as const;

  constructor(
    readonly dataDir: string,
    readonly holderPid?: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Another engine is already using DATA_DIR ${dataDir}` +
        (holderPid !== undefined ? ` (process ${holderPid})` : '') +
        '. Stop it first, or point this one at a different folder.',
      options,
    );
  }
}

/** An event type this code does not know: fail (and retry after a deploy) rather than build a wrong read model. */
export class UnknownEventTypeError extends EventStoreError {
  override readonly code = 'unknown-event-type' as const;

  constructor(
    readonly streamId: string,
    readonly seq: number,
    readonly type: string,
  ) {
    super(`${streamId} event #${seq} has type "${type}", which this engine does not know.`);
  }
}

const formatKb = (bytes: number): string => (bytes / 1024).toFixed(1);
