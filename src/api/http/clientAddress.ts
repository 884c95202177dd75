import type { Context } from 'hono';

/**
 * Who is calling, by network address: the socket's peer on one machine (@hono/node-server's `env.incoming`),
 * API Gateway's `sourceIp` in AWS. `unknown` when neither is there, which puts such callers in one bucket.
 */
export const clientAddress = (c: Context): string => {
  const env = c.env as
    | { incoming?: { socket?: { remoteAddress?: string } }; event?: { requestContext?: { http?: { sourceIp?: string } } } }
    | undefined;
  return env?.incoming?.socket?.remoteAddress ?? env?.event?.requestContext?.http?.sourceIp ?? 'unknown';
};

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6: only a process on this machine connects from these. */
export const isLoopback = (address: string): boolean => {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
};
