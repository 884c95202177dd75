/** A CLI failure for a person to read: a stable `code`, a message that says what to do, and the exit status. */
export class CliError extends Error {
  constructor(
    readonly code: 'usage' | 'no-data' | 'store-locked' | 'not-found' | 'store-unreachable',
    message: string,
    readonly exitCode: number = code === 'usage' ? 2 : 3,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}
