import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { AwsPageConfig } from './contract';
import type { Role, Session } from './session';

/**
 * Sign-in in AWS: Cognito's managed sign-in, authorization code flow with PKCE (oidc-client-ts makes the
 * verifier and S256 challenge; the user pool's web client is public, without a secret). The page sends the ID
 * token as its bearer token: API Gateway's JWT authorizer checks it against the client, and it carries the
 * `cognito:groups` and `name` the API reads (src/api/http/principal.ts); AppSync Events takes it too.
 *
 * Cognito returns to exactly the page it was registered for (`kj.html`, `singer.html`, infra/constructs/
 * httpApi.ts), so the page's own query (which rotation) travels in the OIDC state and is put back after.
 */
export interface CognitoSignIn {
  /** The signed-in session for this page's role, finishing a return from the sign-in page first; null if none. */
  session(): Promise<Session | null>;
  /** Leaves for the managed sign-in page; the browser comes back to this page signed in. */
  signIn(): Promise<void>;
  signOut(): Promise<void>;
}

interface ReturnState {
  readonly search: string;
}

const groupsOf = (user: User): string[] => {
  const groups = user.profile['cognito:groups'];
  return Array.isArray(groups) ? groups.map(String) : [];
};

export const cognitoSignIn = (config: AwsPageConfig, role: Role): CognitoSignIn => {
  const { region, userPoolId, clientId, domain, scopes } = config.cognito;
  const page = new URL(window.location.pathname, window.location.origin).toString();
  // Endpoints named here rather than discovered: the discovery document lives on another host (cognito-idp)
  // than the sign-in domain, and the pages then need to reach only the sign-in domain.
  const manager = new UserManager({
    authority: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    metadata: {
      issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
      authorization_endpoint: `${domain}/oauth2/authorize`,
      token_endpoint: `${domain}/oauth2/token`,
      userinfo_endpoint: `${domain}/oauth2/userInfo`,
      revocation_endpoint: `${domain}/oauth2/revoke`,
      end_session_endpoint: `${domain}/logout`,
    },
    client_id: clientId,
    redirect_uri: page,
    post_logout_redirect_uri: new URL('index.html', page).toString(),
    response_type: 'code',
    scope: scopes.join(' '),
    loadUserInfo: false,
    automaticSilentRenew: false,
    // One store per role: the KJ console and a singer's page in one browser are two different people.
    userStore: new WebStorageStateStore({ store: window.localStorage, prefix: `karaoke.cognito.${role}.` }),
  });

  const toSession = (user: User): Session => {
    const groups = groupsOf(user);
    const name = [user.profile.name, user.profile.email, user.profile['cognito:username'], user.profile.sub].find((n): n is string => typeof n === 'string' && n.length > 0)!;
    return {
      token: user.id_token ?? '',
      sub: user.profile.sub,
      name,
      role: groups.includes('kj') ? 'kj' : 'singer',
      expiresAt: (user.expires_at ?? 0) * 1000,
    };
  };

  return {
    async session() {
      const query = new URLSearchParams(window.location.search);
      if (query.has('code') && query.has('state')) {
        const user = await manager.signinRedirectCallback();
        // Back to the page's own address: the code is spent and must not stay in the history or a bookmark.
        window.history.replaceState(null, '', `${page}${(user.state as ReturnState | undefined)?.search ?? ''}`);
        return user.id_token ? toSession(user) : null;
      }
      if (query.has('error')) {
        window.history.replaceState(null, '', page);
        throw new Error(`Sign-in did not finish: ${query.get('error_description') ?? query.get('error')}`);
      }
      const user = await manager.getUser();
      if (!user || user.expired || !user.id_token) return null;
      return toSession(user);
    },
    signIn: () => manager.signinRedirect({ state: { search: window.location.search } satisfies ReturnState }),
    async signOut() {
      await manager.removeUser();
    },
  };
};
