import { CodedError } from '../codedError';

/** Typed notifier errors: callers branch on the stable `code`; the message is for a person. */
export abstract class NotifierError extends CodedError {}

/** A deployment setting the notifier needs is missing (e.g. ALERTS_EMAIL_FROM). */
export class NotifierConfigError extends NotifierError {
  override readonly code = 'notifier-config-missing' as const;

  constructor(readonly setting: string, purpose: string) {
    super(`${setting} is not set: the notifier needs it to ${purpose}.`);
  }
}
