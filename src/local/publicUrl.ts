import { networkInterfaces } from 'node:os';
import { isLoopback } from '../api/http/clientAddress';
import { CodedError } from '../codedError';

/** PUBLIC_URL is not an address a phone can open: said before anything starts. */
export class PublicUrlError extends CodedError {
  override readonly code = 'invalid-public-url' as const;
}

/**
 * PUBLIC_URL as the origin phones open (what the QR codes and the join redirect point at): an absolute http(s)
 * URL of a host, with no path, query or fragment, since the pages are served at the root. Without a scheme
 * (`karaoke.lan:3000`) a phone's camera reads the QR code as text, or as an address with a scheme of its own.
 */
export const checkPublicUrl = (given: string): string => {
  const refuse = (why: string) =>
    new PublicUrlError(`PUBLIC_URL must be the address phones open, like http://karaoke.lan:3000 (${why}); got \`${given.slice(0, 200)}\`.`);
  let url: URL;
  try {
    url = new URL(given.trim());
  } catch {
    throw refuse('a whole URL, starting with http://');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('starting with http:// or https://');
  if (!url.hostname) throw refuse('with a host name');
  if (url.username || url.password || url.search || url.hash || !/^\/+$/.test(url.pathname) || /[?#]$/.test(given.trim())) {
    throw refuse('the engine serves its pages at the root: no path, query, fragment or user name');
  }
  return url.origin;
};

/**
 * The URL phones open (API.md "Joining by code"): `PUBLIC_URL` when set (a name the venue's Wi-Fi resolves, a
 * tunnel), else, when the engine listens beyond loopback, this machine's address on the local network; else
 * the loopback URL itself (one machine, nothing to scan).
 */
export const publicUrlFor = ({ host, port, publicUrl }: { host: string; port: number; publicUrl?: string | undefined }): string => {
  if (publicUrl?.trim()) return checkPublicUrl(publicUrl);
  const wildcard = host === '0.0.0.0' || host === '::';
  const address = wildcard ? lanAddress() : isLoopback(host) || host === 'localhost' ? undefined : host;
  const shown = address ?? '127.0.0.1';
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
};

/**
 * This machine's IPv4 address on the venue's network: home and venue Wi-Fi routers hand out 192.168.x.x most
 * often, then 10.x; 172.16–31 comes last, since Docker's bridges live there too.
 */
export const lanAddress = (interfaces = networkInterfaces()): string | undefined => {
  const candidates = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => i.address);
  const rank = (a: string) => (a.startsWith('192.168.') ? 0 : a.startsWith('10.') ? 1 : /^172\.(1[6-9]|2\d|3[01])\./.test(a) ? 2 : 3);
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
};
