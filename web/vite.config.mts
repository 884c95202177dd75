import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/**
 * Four static pages, no framework. `npm run build:web` writes dist/web, which `npm start` serves; the same
 * files can go to S3 + CloudFront, with VITE_API_BASE_URL naming the API at build time.
 */
export default defineConfig({
  root: here('.'),
  base: './', // relative asset URLs: the pages work from any folder of any host
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        index: here('index.html'),
        kj: here('kj.html'),
        singer: here('singer.html'),
        venue: here('venue.html'),
      },
    },
  },
  // `npx vite --config web/vite.config.mts` while `npm start` runs: the dev server hands API paths to the engine.
  server: { proxy: { '/rotations': api, '/singers': api, '/dev': api, '/health': api, '/auth': api, '/config': api, '/join': api, '/j/': api } },
});
