/**
 * Where the API lives. Empty means "the server these pages came from" (npm start serves both); a static
 * deployment (S3 + CloudFront) is built with VITE_API_BASE_URL=https://api.example.com.
 */
export const API_BASE_URL: string = (import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '');

export const apiUrl = (path: string): string => `${API_BASE_URL}${path}`;

/** A page of this site, relative to the current one (works under any CloudFront path). */
export const pageUrl = (page: string, params: Record<string, string>, fragment?: Record<string, string>): string => {
  const url = new URL(page, window.location.href);
  url.search = new URLSearchParams(params).toString();
  if (fragment) url.hash = new URLSearchParams(fragment).toString();
  return url.toString();
};
