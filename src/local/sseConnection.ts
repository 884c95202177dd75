import type { QueueView } from '../aggregates/rotation';

/** One browser's open `text/event-stream` response, written as Server-Sent Events frames. */
export interface SseConnection {
  readonly stream: ReadableStream<Uint8Array>;
  /** Sends the view as a `queue` event, unless this browser already has that version or a newer one. */
  sendView(view: QueueView): void;
  /** Ends the response (shutdown, or a browser too slow to keep up); the browser reconnects by itself. */
  end(): void;
}

export interface SseConnectionOptions {
  /** The reconnect delay the browser's EventSource should use (the `retry:` field). */
  readonly retryMs: number;
  /** A comment line this often keeps proxies and idle timers from cutting a quiet stream. */
  readonly heartbeatMs: number;
  /** Called once, when the browser has gone or the connection was ended. */
  readonly onGone: () => void;
}

/** Frames queued but not yet taken by the socket; past this the browser is not reading, so we let it go. */
const MAX_QUEUED_FRAMES = 256;

export const openSseConnection = ({ retryMs, heartbeatMs, onGone }: SseConnectionOptions): SseConnection => {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let open = true;
  let lastVersion = 0;

  const gone = () => {
    if (!open) return;
    open = false;
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
  const write = (frame: string) => {
    if (!open || !controller) return;
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED_FRAMES) return end();
    try {
      controller.enqueue(encoder.encode(frame));
    } catch {
      gone();
    }
  };

  // start() runs inside the constructor, so the controller exists before anything is written.
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => gone(), // the socket closed: @hono/node-server cancels the body's reader
  });
  heartbeat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
  heartbeat.unref?.();
  write(`retry: ${retryMs}\n\n`);

  return {
    stream,
    sendView(view) {
      if (view.version <= lastVersion) return;
      lastVersion = view.version;
      // `id:` lets a reconnecting browser say what it had (Last-Event-ID); we send the current view anyway.
      write(`event: queue\nid: ${view.version}\ndata: ${JSON.stringify(view)}\n\n`);
    },
    end,
  };
};
