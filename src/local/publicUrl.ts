import { networkInterfaces } from 'node:os';
import { isLoopback } from '../api/http/clientAddress';

/**
 * The URL phones open (API.md "Joining by code"): `PUBLIC_URL` when set (a name the venue's Wi-Fi resolves, a
 * tunnel), else, when the engine listens beyond loopback, this machine's address on the local network; else
 * the loopback URL itself (one machine, nothing to scan).
 */
export const publicUrlFor = ({ host, port, publicUrl }: { host: string; port: number; publicUrl?: string | undefined }): string => {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const wildcard = host === '0.0.0.0' || host === '::';
  const address = wildcard ? lanAddress() : isLoopback(host) || host === 'localhost' ? undefined : host;
  const shown = address ?? '127.0.0.1';
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
};

/** The first private (non-internal) IPv4 address: the one a phone on the same Wi-Fi reaches. */
export const lanAddress = (interfaces = networkInterfaces()): string | undefined => {
  const candidates = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal);
  const isPrivate = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  return (candidates.find((i) => isPrivate(i.address)) ?? candidates[0])?.address;
};
