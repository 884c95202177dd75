import { callApi } from './api';
import type { PageConfig } from './contract';

let loaded: Promise<PageConfig> | undefined;

/** `GET /config`, once per page: how to sign in here and where phones open the pages (`publicUrl`). */
export const pageConfig = (): Promise<PageConfig> => {
  loaded ??= callApi<PageConfig>('GET', '/config').catch((err: unknown) => {
    loaded = undefined; // a flaky Wi-Fi moment should not stick
    throw err;
  });
  return loaded;
};

/**
 * What the QR code and the printed link point at: `GET /j/{code}`, which redirects to the singer page. On one
 * machine the API and the pages share `publicUrl`; in AWS the route is on the API's host.
 */
export const joinUrl = (config: PageConfig, joinCode: string): string =>
  `${config.mode === 'aws' ? config.apiUrl : config.publicUrl}/j/${encodeURIComponent(joinCode)}`;
