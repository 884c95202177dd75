/** The turn-alert port: the turn workflow calls notify; SNS + SES (AWS) or the outbox (one machine) delivers. */
import type { TurnAlertKind } from '../aggregates/rotation/alerts';

export interface OutgoingAlert {
  readonly rotationId: string;
  readonly turnId: string;
  readonly singerId: string;
  readonly kind: TurnAlertKind;
  /** 0 for up-now. */
  readonly turnsAway: number;
  readonly venue: string;
  readonly displayName: string;
  readonly songTitle?: string;
}

/** Channels a singer can opt into (PUT /singers/{singerId}/contact). */
export type ContactChannel = 'sms' | 'email';
/** 'outbox': recorded locally for a singer no channel reaches, so the KJ still sees it (one machine only). */
export type AlertChannel = ContactChannel | 'outbox';

/** 'duplicate': this alert was already sent (or is being sent) on this channel; nothing was sent now. */
export type DeliveryOutcome = 'sent' | 'duplicate' | 'failed';

export interface ChannelDelivery {
  readonly channel: AlertChannel;
  readonly alertKey: string;
  readonly outcome: DeliveryOutcome;
  /** Why a 'failed' delivery failed; calling notify again retries only failed channels. */
  readonly error?: string;
}

/** One entry per channel tried; none when the singer has no reachable channel (AWS adapter). */
export interface NotifyResult {
  readonly deliveries: readonly ChannelDelivery[];
}

export interface TurnAlertNotifier {
  notify(alert: OutgoingAlert): Promise<NotifyResult>;
}
