/**
 * Where the API lives. Empty means "the server these pages came from" (npm start serves both). In AWS the
 * pages learn it from `GET /config` (src/api/pageConfig.ts) before their first call; VITE_API_BASE_URL still
 * names one at build time for a static copy pointed at a fixed API.
 */
let apiBaseUrl: string = (import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '');

export const setApiBaseUrl = (url: string): void => {
  apiBaseUrl = url.replace(/\/+$/, '');
};

export const apiUrl = (path: string): string => `${apiBaseUrl}${path}`;

/** A page of this site, relative to the current one (works under any CloudFront path). */
export const pageUrl = (page: string, params: Record<string, string>, fragment?: Record<string, string>): string => {
  const url = new URL(page, window.location.href);
  url.search = new URLSearchParams(params).toString();
  if (fragment) url.hash = new URLSearchParams(fragment).toString();
  return url.toString();
};
