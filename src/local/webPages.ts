import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { errorBody } from '../api/http/errors';

/** Where `npm run build:web` puts the pages (web/vite.config.mts). */
export const DEFAULT_WEB_DIR = resolve(__dirname, '..', '..', 'dist', 'web');

/**
 * The night's pages (KJ console, singer's phone, venue screen), as static files next to the API: same origin,
 * so no CORS locally. Registered after the API's routes, so an API path is never shadowed by a file.
 * In AWS the same build goes to S3 + CloudFront, pointed at the API by VITE_API_BASE_URL.
 */
export const serveWebPages = (
  app: Hono,
  webDir: string,
  log: (message: string) => void,
  /** Origins the pages may also connect to, read per response (GET /config's sign-in and live endpoints, if elsewhere). */
  connectSources: () => readonly string[] = () => [],
): void => {
  const root = resolve(webDir);
  if (!existsSync(join(root, 'index.html'))) {
    log(`Web pages are not built (no ${join(root, 'index.html')}): run \`npm run build:web\`, then restart.`);
    app.get('/', (c) => c.json(errorBody('not-built', 'The web pages are not built yet: run `npm run build:web`, then restart.'), 404));
    return;
  }
  app.get(
    '*',
    serveStatic({
      root,
      onFound: (path, c) => {
        // Vite names assets by content hash: they never change; the pages themselves must always revalidate.
        c.header('Cache-Control', path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        c.header('X-Content-Type-Options', 'nosniff');
        c.header('Referrer-Policy', 'no-referrer');
        c.header(
          'Content-Security-Policy',
          `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${["'self'", ...connectSources()].join(' ')}; ` +
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        );
      },
    }),
  );
};
