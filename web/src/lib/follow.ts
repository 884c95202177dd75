import { watchRotationOnAppSync } from './appSyncLive';
import type { PageConfig, QueueView } from './contract';
import { watchRotation, type LiveStatus } from './live';
import type { LiveViewTooLarge } from '../../../src/projections/liveChannels';

/** Following a rotation live the way this place does it (GET /config `live`): SSE locally, AppSync Events in AWS. */
export interface FollowOptions {
  readonly rotationId: string;
  readonly onView: (view: QueueView) => void;
  readonly onStatus: (status: LiveStatus, detail?: string) => void;
  /** Locally: a live ticket for the SSE feed (signed-in pages mint one, the venue screen's link carries one). */
  readonly ticket: () => Promise<string>;
  /** In AWS: the signed-in page's token; without one (the venue screen) the subscribe-only key of GET /config. */
  readonly token?: () => string;
  /**
   * In AWS, when a view was missed, so the page should re-read the queue: after each (re)subscription, and when
   * a change's view was too large to push whole (a rotation of hundreds of singers).
   */
  readonly onMissed?: (tooLarge?: LiveViewTooLarge<QueueView>) => Promise<unknown>;
}

/**
 * One re-read at a time: markers come with every commit of a big rotation, so calls while one runs ask for one
 * more after it (with the newest marker), never a pile of reads.
 */
const oneAtATime = (read: (tooLarge?: LiveViewTooLarge<QueueView>) => Promise<unknown>) => {
  let running = false;
  let again: { tooLarge?: LiveViewTooLarge<QueueView> } | undefined;
  const run = (tooLarge?: LiveViewTooLarge<QueueView>): void => {
    if (running) {
      again = tooLarge ? { tooLarge } : {};
      return;
    }
    running = true;
    void read(tooLarge)
      .catch(() => {})
      .finally(() => {
        running = false;
        const next = again;
        again = undefined;
        if (next) run(next.tooLarge);
      });
  };
  return run;
};

export const followRotation = (config: PageConfig, { rotationId, onView, onStatus, ticket, token, onMissed }: FollowOptions): { close(): void } => {
  if (config.mode === 'local') return watchRotation({ rotationId, ticket, onView, onStatus });
  const { liveUrl, liveHost, liveApiKey } = config;
  if (config.live !== 'appsync-events' || !liveUrl || !liveHost) {
    onStatus('stopped', 'this deployment has no live updates');
    return { close() {} };
  }
  return watchRotationOnAppSync({
    rotationId,
    url: liveUrl,
    host: liveHost,
    authorization: async () => {
      if (token) return { Authorization: token() };
      if (!liveApiKey) throw new Error('this deployment gives the venue screen no key');
      return { 'x-api-key': liveApiKey };
    },
    onView,
    onStatus,
    ...(onMissed ? { onMissed: oneAtATime(onMissed) } : {}),
  });
};
