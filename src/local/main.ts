import { resolve } from 'node:path';
import { isLoopback } from '../api/http/clientAddress';
import { StoreLockedError } from '../eventstore/errors';
import { DataFolderError } from './dataFolder';
import { PublicUrlError } from './publicUrl';
import { startEngine } from './engine';

// qrcode-terminal ships no types: the part used here.
const qrcodeTerminal = require('qrcode-terminal') as { generate(text: string, options: { small: boolean }, print: (qr: string) => void): void };

/** Said in a sentence, with no stack: what to change before `npm start` can run. */
class StartError extends Error {}

/** PORT as a port number: a whole number 0–65535 (0 picks a free one). */
const portOf = (given: string | undefined): number => {
  const text = given?.trim() || '3000';
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new StartError(`PORT must be a port number from 0 to 65535, like PORT=3000; got \`${text.slice(0, 40)}\`.`);
  return Number(text);
};

/** `npm start`: the engine on one machine, data under DATA_DIR, API on PORT. */
const main = async () => {
  const port = portOf(process.env.PORT);
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
  const code = (err as NodeJS.ErrnoException).code;
  const host = process.env.HOST ?? '127.0.0.1';
  if (err instanceof StoreLockedError || err instanceof DataFolderError || err instanceof PublicUrlError || err instanceof StartError) console.error(err.message);
  else if (code === 'EADDRINUSE') console.error(`Port ${process.env.PORT ?? 3000} is in use: set PORT to a free one, e.g. PORT=3001 npm start`);
  else if (code === 'EACCES') console.error(`Port ${process.env.PORT ?? 3000} needs administrator rights on this machine: use one from 1024 up, e.g. PORT=3000 npm start`);
  else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    console.error(`HOST=${host} is not an address of this machine: use HOST=0.0.0.0 for phones on the venue Wi-Fi, or leave HOST unset for this machine only.`);
  } else console.error(err);
  process.exit(1);
});
