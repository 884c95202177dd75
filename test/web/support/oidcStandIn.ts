/**
 * A loopback stand-in for Cognito's managed sign-in, as much of OAuth 2.0 as the pages use: the authorization
 * code flow with PKCE for a public client (no secret).
 * - `GET /oauth2/authorize`: checks client, redirect URI (exactly a registered one), `response_type=code` and an
 *   S256 `code_challenge`, then shows a one-field sign-in form (email).
 * - `POST /login`: signs the email in (an unknown one signs up as a singer, as the post-confirmation trigger
 *   makes it), and sends the browser back to the redirect URI with a one-time code and the state.
 * - `POST /oauth2/token`: exchanges the code only for the same client and redirect URI and only with the
 *   `code_verifier` whose SHA-256 is the challenge; a code works once.
 * Tokens come from `issue` (the local engine's signer, so the engine's API accepts them) with Cognito's claims.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInUser {
  readonly sub: string;
  readonly name: string;
  readonly role: 'kj' | 'singer';
}

export interface TokenExchange {
  readonly outcome: 'issued' | 'refused';
  readonly reason?: string;
}

export interface OidcStandIn {
  readonly url: string;
  readonly exchanges: TokenExchange[];
  /** Registered redirect URIs (Cognito: the client's callback URLs); set once the pages' origin is known. */
  redirectUris: string[];
  close(): Promise<void>;
}

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly user: StandInUser;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const startOidcStandIn = async ({
  clientId,
  users,
  issue,
}: {
  clientId: string;
  users: Record<string, StandInUser>;
  issue: (user: StandInUser) => string;
}): Promise<OidcStandIn> => {
  const codes = new Map<string, PendingCode>();
  const exchanges: TokenExchange[] = [];
  const standIn = { redirectUris: [] as string[], exchanges } as OidcStandIn;
  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type, authorization', 'Access-Control-Allow-Methods': 'POST, GET' };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, reason: string) => {
    exchanges.push({ outcome: 'refused', reason });
    json(res, 400, { error: 'invalid_grant', error_description: reason });
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        return res.end();
      }
      if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
        const q = url.searchParams;
        const problem =
          q.get('client_id') !== clientId ? 'unknown client'
          : !standIn.redirectUris.includes(q.get('redirect_uri') ?? '') ? 'redirect_mismatch'
          : q.get('response_type') !== 'code' ? 'unsupported_response_type'
          : q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') ? 'PKCE (S256) is required'
          : null;
        if (problem) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          return res.end(problem);
        }
        const hidden = ['redirect_uri', 'state', 'code_challenge']
          .map((k) => `<input type="hidden" name="${k}" value="${escape(q.get(k) ?? '')}">`)
          .join('');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          `<!doctype html><title>Sign in</title><link rel="icon" href="data:,"><form method="post" action="/login"><label>Email <input name="email" type="email" required></label>${hidden}<button type="submit">Sign in</button></form>`,
        );
      }
      if (req.method === 'POST' && url.pathname === '/login') {
        const form = new URLSearchParams(body);
        const email = form.get('email') ?? '';
        const user = users[email] ?? { sub: `singer-${createHash('sha256').update(email).digest('hex').slice(0, 12)}`, name: email.split('@')[0]!, role: 'singer' as const };
        const code = randomBytes(16).toString('hex');
        codes.set(code, { clientId, redirectUri: form.get('redirect_uri') ?? '', challenge: form.get('code_challenge') ?? '', user });
        const back = new URL(form.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', form.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (req.method === 'POST' && url.pathname === '/oauth2/token') {
        const form = new URLSearchParams(body);
        const code = form.get('code') ?? '';
        const pending = codes.get(code);
        codes.delete(code); // one use, whatever happens
        if (form.get('grant_type') !== 'authorization_code' || !pending) return refuse(res, 'unknown or spent code');
        if (form.get('client_id') !== pending.clientId || form.get('redirect_uri') !== pending.redirectUri) return refuse(res, 'client or redirect_uri differs');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) return refuse(res, 'code_verifier does not match the challenge');
        exchanges.push({ outcome: 'issued' });
        const token = issue(pending.user);
        return json(res, 200, { id_token: token, access_token: token, token_type: 'Bearer', expires_in: 3600 });
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
};
