import { callApi } from './api';
import { setApiBaseUrl } from './config';
import type { PageConfig } from './contract';

let loaded: Promise<PageConfig> | undefined;

/**
 * `GET /config`, once per page, on the pages' own origin (npm start answers it; in AWS CloudFront hands it to
 * the API): how to sign in here, how to follow a rotation live, where the API is and where phones open the
 * pages (`publicUrl`). One build of the pages serves both places. In AWS every later call goes to `apiUrl`.
 */
export const pageConfig = (): Promise<PageConfig> => {
  loaded ??= callApi<PageConfig>('GET', '/config').then(
    (config) => {
      if (config.mode === 'aws') setApiBaseUrl(config.apiUrl);
      return config;
    },
    (err: unknown) => {
      loaded = undefined; // a flaky Wi-Fi moment should not stick
      throw err;
    },
  );
  return loaded;
};

/** What a page assumes until GET /config answers, or when it cannot: the local server's ways. */
export const LOCAL_PAGE_CONFIG: PageConfig = { mode: 'local', signIn: 'local', live: 'sse', publicUrl: '' };

/**
 * What the QR code and the printed link point at: `GET /j/{code}`, which redirects to the singer page. On one
 * machine the API and the pages share `publicUrl`; in AWS the route is on the API's host.
 */
export const joinUrl = (config: PageConfig, joinCode: string): string =>
  `${config.mode === 'aws' ? config.apiUrl : config.publicUrl}/j/${encodeURIComponent(joinCode)}`;
