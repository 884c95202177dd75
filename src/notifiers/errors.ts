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

/** A send failed after SNS or SES may have taken the message (src/notifiers/atMostOnce.ts): not sent again. */
export class AlertDeliveryUncertainError extends NotifierError {
  override readonly code = 'alert-delivery-uncertain' as const;

  constructor(cause: unknown) {
    const { name = 'Error', message = String(cause) } = (cause ?? {}) as { name?: string; message?: string };
    super(`${name}: ${message} (the message may have been delivered; it is not sent again)`, { cause });
  }
}
