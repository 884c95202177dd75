/**
 * Live updates in AWS (AppSync Events): one channel per rotation in one namespace. Shared by the projector that
 * publishes, the CDK app that makes the namespace, and the pages that subscribe, so the names cannot drift.
 * No Node or AWS imports: the browser bundle takes this file as is.
 */

/** The channel namespace; its channels are `/rotations/<rotationId>`. */
export const LIVE_NAMESPACE = 'rotations';

/** An AppSync Events channel segment: 1–50 letters, digits or dashes (rotation ids are server-made UUIDs). */
const CHANNEL_SEGMENT = /^[A-Za-z0-9-]{1,50}$/;

/** The rotation's channel, or undefined for an id no channel can carry (that rotation is not followed live). */
export const liveChannelOf = (rotationId: string): string | undefined =>
  CHANNEL_SEGMENT.test(rotationId) ? `/${LIVE_NAMESPACE}/${rotationId}` : undefined;

/** AppSync Events refuses an event over 240 KB (its service quota); a rotation of hundreds of singers passes it. */
export const LIVE_EVENT_MAX_BYTES = 240 * 1024;

/**
 * What a view may measure, escaped as it travels inside the publish request's `events` array, to be pushed whole:
 * under the quota by a margin, as it is not documented whether the service counts the escaped or the parsed form.
 */
export const LIVE_VIEW_BUDGET_BYTES = 224 * 1024;

/** Upcoming singers in a too-large view's head: more than any venue screen shows. */
export const LIVE_HEAD_UPCOMING = 10;

/**
 * What is published instead of a view too large for one event. Signed-in pages re-read the queue on it, as they do
 * after a reconnect; a venue screen with no sign-in to read with shows `head`: the view with only the first
 * upcoming singers and no singer list, all a venue screen shows. Its `kind` tells it from a queue view.
 */
export interface LiveViewTooLarge<View = unknown> {
  readonly kind: 'view-too-large';
  readonly rotationId: string;
  readonly version: number;
  readonly head: View;
}

export const isLiveViewTooLarge = (event: unknown): event is LiveViewTooLarge =>
  typeof event === 'object' && event !== null && (event as { kind?: unknown }).kind === 'view-too-large';

/**
 * The namespace's subscribe handler (APPSYNC_JS): a channel names exactly one rotation. A wildcard (`/rotations/*`)
 * would let any signed-up singer, or the venue screen's public key, watch every rotation at once.
 */
export const LIVE_SUBSCRIBE_HANDLER = `import { util } from '@aws-appsync/utils';
export function onSubscribe(ctx) {
  const segments = ctx.info.channel.segments;
  if (segments.length !== 2 || segments[1].includes('*')) util.unauthorized();
}`;
