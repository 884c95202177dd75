import { CodedError } from '../codedError';

export type CliErrorCode = 'usage' | 'no-data' | 'store-locked' | 'not-found';

/** A CLI failure for a person to read: a stable `code`, a message that says what to do, and the exit status. */
export class CliError extends CodedError {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode: number = code === 'usage' ? 2 : 3,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
