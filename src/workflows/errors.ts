import { CodedError } from '../codedError';

/**
 * Typed turn-workflow errors. Callers branch on the stable `code`; Step Functions' Retry/Catch match the
 * error's `name` (the class name), which the Lambda runtime reports as the error type.
 */
export abstract class TurnWorkflowError extends CodedError {}

/** The workflow was asked about a turn the rotation's log does not have (a bug or a wrong input). */
export class TurnNotFoundError extends TurnWorkflowError {
  override readonly code = 'turn-not-found' as const;

  constructor(
    readonly rotationId: string,
    readonly turnId: string,
    detail = '',
  ) {
    super(`Rotation ${rotationId} has no turn ${turnId}${detail ? ` ${detail}` : ''}.`);
  }
}

/** Some alert could not be delivered on some channel; retrying the step retries only those (ledger). */
export class AlertDeliveryFailedError extends TurnWorkflowError {
  override readonly code = 'alert-delivery-failed' as const;

  constructor(readonly failures: readonly { singerId: string; channel: string; error?: string }[]) {
    super(
      `${failures.length} alert(s) not delivered: ` +
        failures.map((f) => `${f.singerId} by ${f.channel}${f.error ? ` (${f.error})` : ''}`).join('; '),
    );
  }
}

/** The domain refused a workflow command for a reason that is not a normal turn outcome (e.g. forbidden). */
export class UnexpectedRejectionError extends TurnWorkflowError {
  override readonly code = 'unexpected-rejection' as const;

  constructor(
    readonly command: string,
    readonly rejection: { code: string; message: string },
  ) {
    super(`The rotation refused the workflow's ${command}: ${rejection.code} (${rejection.message}).`);
  }
}

/** A setting the workflow's AWS side needs is missing from the Lambda's environment. */
export class WorkflowConfigError extends TurnWorkflowError {
  override readonly code = 'workflow-config-missing' as const;

  constructor(readonly setting: string) {
    super(`${setting} is not set: the turn workflow needs it.`);
  }
}
