/**
 * An SMS or email must not go out twice (ROTATION.md "Alerts": at most once per singer per called turn). The alert
 * ledger stops a second claim, but a send that failed is claimed again on the workflow's retry, and the SDK
 * retries inside one send by itself. Both resend a message SNS or SES may already have taken when the failure
 * came after the request reached them (a reset connection, a timeout, a 5xx). So the senders' clients make one
 * attempt, and such a send is reported as uncertain: recorded, alarmed on, never sent again.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AlertDeliveryUncertainError } from './errors';

/**
 * For the SNS and SES clients of the alert senders: no SDK retry (a retry is the ledger's call), and a new
 * connection for every send. A kept-alive one goes idle between alerts (minutes apart, the Lambda frozen); the
 * service closes it meanwhile, and a request written on it before Node sees the close is reset unread, which
 * would count as "may have been delivered" and the alert would never go out.
 */
export const AT_MOST_ONCE_CLIENT_CONFIG = {
  maxAttempts: 1,
  requestHandler: { httpAgent: new HttpAgent({ keepAlive: false }), httpsAgent: new HttpsAgent({ keepAlive: false }) },
};

/** Refused before anything reached the service: the connection was never made. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether the service may have taken the request: it answered 5xx, or the SDK sent it and got no answer.
 * A 4xx (throttled, invalid, opted out) is a refusal, safe to retry; an error with no SDK metadata was thrown
 * before any request (a missing setting).
 */
export const mayHaveBeenDelivered = (err: unknown): boolean => {
  const { $metadata, code } = (err ?? {}) as { $metadata?: { httpStatusCode?: number }; code?: string };
  if ($metadata === undefined) return false;
  const status = $metadata.httpStatusCode;
  if (status !== undefined) return status >= 500;
  return !(code !== undefined && NOT_CONNECTED.has(code));
};

/** Runs one send; an ambiguous failure becomes AlertDeliveryUncertainError (the ledger will not resend it). */
export const sendAtMostOnce = async (send: () => Promise<unknown>): Promise<void> => {
  try {
    await send();
  } catch (err) {
    throw mayHaveBeenDelivered(err) ? new AlertDeliveryUncertainError(err) : err;
  }
};
