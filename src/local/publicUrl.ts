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
