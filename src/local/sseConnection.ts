import type { QueueView } from '../aggregates/rotation';

/** One browser's open `text/event-stream` response, written as Server-Sent Events frames. */
export interface SseConnection {
  readonly stream: ReadableStream<Uint8Array>;
  /** Sends the view as a `queue` event, unless this browser already has that version or a newer one. */
  sendView(view: QueueView): void;
  /** Ends the response (shutdown, or a browser that stopped reading); the browser reconnects by itself. */
  end(): void;
}

export interface SseConnectionOptions {
  /** The reconnect delay the browser's EventSource should use (the `retry:` field). */
  readonly retryMs: number;
  /**
   * A `ping` event this often keeps proxies and idle timers from cutting a quiet stream, and lets the page tell a
   * quiet stream from a dead one (a phone whose Wi-Fi dropped without a word): its data says the interval.
   */
  readonly heartbeatMs: number;
  /** A view left untaken by the socket this long means the browser stopped reading: the stream is ended. */
  readonly stalledMs?: number;
  /** Called once, when the browser has gone or the connection was ended. */
  readonly onGone: () => void;
}

/**
 * Newest-only buffering: the stream is pulled (its queue holds at most one frame, and @hono/node-server reads
 * only as the socket drains), and a view that cannot go out yet waits in one slot that the next view replaces.
 * A slow reader gets the newest view when it catches up, never a backlog; a reader that stopped costs one view.
 */
export const openSseConnection = ({ retryMs, heartbeatMs, stalledMs = 2 * 60_000, onGone }: SseConnectionOptions): SseConnection => {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let open = true;
  let lastVersion = 0;
  let waiting: { frame: string; since: number } | undefined; // the newest view the socket has not taken yet

  const gone = () => {
    if (!open) return;
    open = false;
    waiting = undefined;
    clearInterval(heartbeat);
    onGone();
  };
  const end = () => {
    if (!open) return;
    try {
      controller?.close();
    } catch {
      /* already closed by the other side */
    }
    gone();
  };
  const hasRoom = () => open && controller !== undefined && (controller.desiredSize ?? 0) > 0;
  const enqueue = (frame: string) => {
    try {
      controller!.enqueue(encoder.encode(frame));
    } catch {
      gone();
    }
  };
  const flush = () => {
    if (waiting && hasRoom()) {
      const { frame } = waiting;
      waiting = undefined;
      enqueue(frame);
    }
  };

  // start() runs inside the constructor, so the controller exists before anything is written.
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => flush(), // the reader wants more: hand over the waiting view, if any
      cancel: () => gone(), // the socket closed: @hono/node-server cancels the body's reader
    },
    { highWaterMark: 1 },
  );
  // A named event, not a comment, so the page sees it.
  const ping = `event: ping\ndata: ${JSON.stringify({ everyMs: heartbeatMs })}\n\n`;
  const heartbeat: ReturnType<typeof setInterval> = setInterval(() => {
    if (waiting && Date.now() - waiting.since > stalledMs) return end();
    // Only on an idle stream: a stream with a frame waiting is not quiet, and pings must not pile up.
    if (!waiting && hasRoom()) enqueue(ping);
  }, heartbeatMs);
  heartbeat.unref?.();
  enqueue(`retry: ${retryMs}\n\n${ping}`); // the first ping tells the page the interval before any view

  return {
    stream,
    sendView(view) {
      if (!open || view.version <= lastVersion) return;
      lastVersion = view.version;
      // `id:` lets a reconnecting browser say what it had (Last-Event-ID); we send the current view anyway.
      const frame = `event: queue\nid: ${view.version}\ndata: ${JSON.stringify(view)}\n\n`;
      waiting = { frame, since: waiting?.since ?? Date.now() };
      flush();
    },
    end,
  };
};
