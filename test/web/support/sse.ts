/** A Server-Sent Events reader for tests: frames as they arrive, parsed the way EventSource parses them. */
export interface SseFrame {
  readonly event?: string;
  readonly id?: string;
  readonly data?: string;
  readonly retry?: number;
  readonly comment?: string;
}

export interface SseReader {
  /** The next frame matching `match`, skipping others; fails after `timeoutMs`. */
  next(match?: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Every frame received so far. */
  readonly frames: readonly SseFrame[];
  cancel(): Promise<void>;
}

const parseFrame = (block: string): SseFrame => {
  const frame: Record<string, string | number> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    const [, name, value] = /^(event|id|data|retry): ?(.*)$/.exec(line) ?? [];
    if (name) frame[name] = name === 'retry' ? Number(value) : name === 'data' && frame.data !== undefined ? `${frame.data}\n${value}` : value!;
  }
  return frame as SseFrame;
};

export const readSse = (body: ReadableStream<Uint8Array>): SseReader => {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = '';
  let consumed = 0;
  let done = false;
  let wake: (() => void) | undefined;

  void (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          frames.push(parseFrame(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        wake?.();
      }
    } catch {
      /* cancelled */
    } finally {
      done = true;
      wake?.();
    }
  })();

  return {
    frames,
    async next(match = () => true, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (consumed < frames.length) {
          const frame = frames[consumed++]!;
          if (match(frame)) return frame;
        }
        if (done) throw new Error(`The event stream ended; frames so far: ${JSON.stringify(frames)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`No matching frame within ${timeoutMs} ms; frames so far: ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
};

export const isQueue = (frame: SseFrame) => frame.event === 'queue';
export const viewOf = (frame: SseFrame) => JSON.parse(frame.data!) as { version: number; singers: { singerId: string }[]; current: null | { singerId: string } };
