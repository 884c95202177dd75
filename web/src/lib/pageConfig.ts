import type { PageConfig } from './contract';
import { setApiBaseUrl } from './config';

/**
 * `GET /config` on the pages' own origin (npm start answers it; in AWS CloudFront hands it to the API): how this
 * place signs in and follows a rotation live. One build of the pages serves both places.
 */
let loading: Promise<PageConfig> | undefined;

/** What a page assumes until GET /config answers: the local server's ways, so `npm start` pages work at once. */
export const LOCAL_PAGE_CONFIG: PageConfig = { mode: 'local', signIn: 'local', live: 'sse', publicUrl: '' };

export const pageConfig = (): Promise<PageConfig> =>
  (loading ??= (async () => {
    try {
      const response = await fetch(new URL('/config', window.location.origin), { headers: { accept: 'application/json' } });
      if (!response.ok) return LOCAL_PAGE_CONFIG;
      const config = (await response.json()) as PageConfig;
      if (config.mode === 'aws') setApiBaseUrl(config.apiUrl);
      return config;
    } catch {
      // Unreachable (the venue Wi-Fi dropped): the local server's ways; calls say what is wrong when they fail.
      return LOCAL_PAGE_CONFIG;
    }
  })());
