import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * The venue Wi-Fi between a phone and the engine, as a loopback TCP relay the test can break the way Wi-Fi
 * breaks: `dropSilently()` makes every live stream open now go quiet without a FIN or RST reaching either end
 * (the phone's socket stays "open", nothing more arrives), and closes the idle connections (a browser drops
 * those itself when the network changes). Connections made after that are relayed normally again.
 */
export interface WifiLink {
  readonly url: string;
  dropSilently(): void;
  close(): Promise<void>;
}

export const openWifiLink = async (enginePort: number): Promise<WifiLink> => {
  const pairs = new Set<{ phone: Socket; engine: Socket; stream: boolean }>();
  const silent: Socket[] = [];
  const server: Server = createServer((phone) => {
    const engine = connect(enginePort, '127.0.0.1');
    const pair = { phone, engine, stream: false };
    pairs.add(pair);
    phone.on('data', (chunk: Buffer) => {
      if (/^GET [^ ]*\/live\?/.test(chunk.toString('latin1', 0, 200))) pair.stream = true;
    });
    phone.pipe(engine);
    engine.pipe(phone);
    for (const socket of [phone, engine]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        pairs.delete(pair);
        phone.destroy();
        engine.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    dropSilently() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        if (!pair.stream) {
          pair.phone.destroy();
          pair.engine.destroy();
          continue;
        }
        pair.phone.unpipe(pair.engine);
        pair.engine.unpipe(pair.phone);
        pair.phone.pause();
        pair.engine.pause();
        pair.phone.removeAllListeners('close');
        pair.engine.removeAllListeners('close');
        silent.push(pair.phone, pair.engine);
      }
    },
    async close() {
      for (const socket of silent) socket.destroy();
      for (const { phone, engine } of pairs) {
        phone.destroy();
        engine.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
