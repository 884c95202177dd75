import { resolve } from 'node:path';
import { isLoopback } from '../api/http/clientAddress';
import { StoreLockedError } from '../eventstore/errors';
import { DataFolderError } from './dataFolder';
import { startEngine } from './engine';

// qrcode-terminal ships no types: the part used here.
const qrcodeTerminal = require('qrcode-terminal') as { generate(text: string, options: { small: boolean }, print: (qr: string) => void): void };

/** `npm start`: the engine on one machine, data under DATA_DIR, API on PORT. */
const main = async () => {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const host = process.env.HOST ?? '127.0.0.1';
  const engine = await startEngine({ dataDir, port, host, publicUrl: process.env.PUBLIC_URL });
  const also = engine.publicUrl !== engine.url ? ` and ${engine.publicUrl}` : '';
  console.log(`Karaoke rotation engine listening on ${engine.url}${also} (data in ${dataDir})`);
  console.log(`KJ console:   ${engine.publicUrl}/kj.html`);
  console.log(`KJ passphrase: ${engine.passphrase.current()}   (change it with: npx rotation passphrase)`);
  if (isLoopback(new URL(engine.publicUrl).hostname)) {
    console.log('Only this machine can reach it. For phones on the venue Wi-Fi: HOST=0.0.0.0 npm start');
  } else {
    const singerPage = `${engine.publicUrl}/singer.html`;
    console.log(`Phones on the venue Wi-Fi open ${singerPage} (scan below), then type the join code the venue screen shows:`);
    qrcodeTerminal.generate(singerPage, { small: true }, (qr) => console.log(qr));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await engine.stop();
    console.log('Stopped cleanly; all data is saved.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  console.log('Press Ctrl-C to stop.'); // only now: a stop from here on is a clean one
};

main().catch((err: unknown) => {
  if (err instanceof StoreLockedError || err instanceof DataFolderError) console.error(err.message);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`Port ${process.env.PORT ?? 3000} is in use: set PORT to a free one, e.g. PORT=3001 npm start`);
  else console.error(err);
  process.exit(1);
});
