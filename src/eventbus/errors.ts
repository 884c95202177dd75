import { CodedError } from '../codedError';

/** Typed event bus errors: callers branch on the stable `code`; the message is for a person. */
export abstract class EventBusError extends CodedError {}

/** A rule's pattern uses syntax EventBridge would refuse, or an operator this matcher does not implement. */
export class InvalidEventPatternError extends EventBusError {
  override readonly code = 'invalid-event-pattern' as const;

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`Invalid event pattern at ${path || '(root)'}: ${problem}`);
  }
}

/** Which domain event an entry carried, for error reports. */
export interface EventRef {
  readonly streamId: string;
  readonly seq: number;
  readonly type: string;
}

/** One event is bigger than a PutEvents entry may be; it is refused before anything is sent. */
export class EventTooLargeError extends EventBusError {
  override readonly code = 'event-too-large' as const;

  constructor(
    readonly event: EventRef,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `Event ${event.type} #${event.seq} of ${event.streamId} is ${sizeBytes} bytes as a PutEvents entry; ` +
        `the limit is ${limitBytes} bytes. Put large payloads elsewhere (e.g. S3) and reference them.`,
    );
  }
}

export interface FailedEntry extends EventRef {
  readonly errorCode: string;
  readonly errorMessage?: string;
}

/** Some events were still not accepted after the last attempt; later events were not sent (order). */
export class PublishFailedError extends EventBusError {
  override readonly code = 'publish-failed' as const;

  constructor(
    readonly failed: readonly FailedEntry[],
    readonly notAttempted: readonly EventRef[],
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${failed.length} event(s) not accepted by the event bus after ${attempts} attempt(s) ` +
        `(${failed.map((f) => `${f.type} #${f.seq} of ${f.streamId}: ${f.errorCode}`).join('; ')}); ` +
        `${notAttempted.length} later event(s) not sent.`,
      options,
    );
  }
}
