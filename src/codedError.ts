/**
 * The base of every typed error: callers branch on the stable `code`, the message is for a person, and `name` is the class name, which Step Functions' Retry/Catch match on.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
