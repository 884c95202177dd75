import type { QueueView } from '../aggregates/rotation';
import type { QueueViewReader } from '../projections/readModels';
import type { RotationChanges } from './rotationChanges';
import type { SseConnection } from './sseConnection';

/** Everyone watching one rotation: one read of the queue view per change, sent to all of them. */
export interface LiveChannel {
  add(connection: SseConnection): void;
  remove(connection: SseConnection): void;
  readonly connections: ReadonlySet<SseConnection>;
}

export interface LiveChannelOptions {
  readonly rotationId: string;
  readonly changes: RotationChanges;
  readonly queue: QueueViewReader;
  readonly now: () => string;
  /** The last watcher left: the channel has stopped watching and can be forgotten. */
  readonly onEmpty: () => void;
  readonly onError: (error: unknown) => void;
}

/** A projection-backed reader may trail the commit that woke us by a moment: look again, briefly, before giving up. */
const LAG_RETRIES = 10;
const LAG_RETRY_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const createLiveChannel = ({ rotationId, changes, queue, now, onEmpty, onError }: LiveChannelOptions): LiveChannel => {
  const connections = new Set<SseConnection>();
  let committed = 0; // newest version the stream feed has told us about
  let sent = 0; // newest version we have read and broadcast
  let pumping = false;

  const broadcast = (view: QueueView) => {
    for (const connection of [...connections]) connection.sendView(view);
  };

  // One pump per rotation: a burst of commits becomes as few reads as it takes to catch up.
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      let lagging = 0;
      while (sent < committed && connections.size > 0) {
        const view = await queue.read(rotationId, now());
        if (view && view.version > sent) {
          sent = view.version;
          lagging = 0;
          broadcast(view);
        } else if (++lagging > LAG_RETRIES) {
          break; // the next commit wakes us again
        } else {
          await sleep(LAG_RETRY_MS * lagging);
        }
      }
    } catch (err) {
      onError(err);
    } finally {
      pumping = false;
    }
  };

  const unwatch = changes.watch(rotationId, (version) => {
    committed = Math.max(committed, version);
    void pump();
  });

  return {
    connections,
    add: (connection) => void connections.add(connection),
    remove(connection) {
      if (!connections.delete(connection) || connections.size > 0) return;
      unwatch();
      onEmpty();
    },
  };
};
