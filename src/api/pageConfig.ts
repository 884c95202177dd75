import * as z from 'zod';

/**
 * `GET /config` (API.md "Signing in on one machine"): what the pages need to know to sign in and follow a
 * rotation live, so one build of the pages serves both places (DESIGN.md "Runs in two places").
 * - `local` (`npm start`): the server's own sign-in (`POST /auth/guest`, `POST /auth/kj`) and SSE.
 * - `aws`: Cognito's managed sign-in (authorization code + PKCE, public client) and the managed live service.
 * `publicUrl` is where phones open the pages: what the join QR codes point at.
 */
export const LIVE_TRANSPORTS = ['sse', 'appsync-events', 'websocket', 'poll'] as const;

export const LocalPageConfig = z
  .object({
    mode: z.literal('local'),
    signIn: z.literal('local'),
    live: z.literal('sse'),
    publicUrl: z.string(),
  })
  .meta({ id: 'LocalPageConfig' });

export const AwsPageConfig = z
  .object({
    mode: z.literal('aws'),
    signIn: z.literal('cognito'),
    live: z.enum(LIVE_TRANSPORTS),
    /** Where the live service is reached, when `live` is not `poll`. */
    liveUrl: z.string().optional(),
    /** `appsync-events`: the Event API's HTTP domain, which every subscription's authorization names as `host`. */
    liveHost: z.string().optional(),
    /**
     * `appsync-events`: the venue screen's key. It can only subscribe (the namespace lets API keys do nothing
     * else), so it is as public as the venue screen itself.
     */
    liveApiKey: z.string().optional(),
    apiUrl: z.string(),
    publicUrl: z.string(),
    cognito: z.object({
      region: z.string(),
      userPoolId: z.string(),
      clientId: z.string(),
      /** The managed sign-in's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
      domain: z.string(),
      scopes: z.array(z.string()),
    }),
  })
  .meta({ id: 'AwsPageConfig' });

export const PageConfig = z.discriminatedUnion('mode', [LocalPageConfig, AwsPageConfig]).meta({ id: 'PageConfig' });
export type PageConfig = z.infer<typeof PageConfig>;
export type LocalPageConfig = z.infer<typeof LocalPageConfig>;
export type AwsPageConfig = z.infer<typeof AwsPageConfig>;

/** The API Lambda's environment that says how the pages sign in (the CDK app sets each; infra/ imports these). */
export const PAGE_CONFIG_ENV = {
  apiUrl: 'API_URL',
  publicUrl: 'PAGES_URL',
  region: 'COGNITO_REGION',
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientId: 'COGNITO_CLIENT_ID',
  domain: 'COGNITO_DOMAIN',
  live: 'LIVE_TRANSPORT',
  liveUrl: 'LIVE_URL',
  liveHost: 'LIVE_HOST',
  liveApiKey: 'LIVE_API_KEY',
} as const;

export const COGNITO_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * In AWS: from the environment (a missing variable is a deployment fault, said loudly). The API's own URL is
 * the origin the request came to, unless API_URL names another (a custom domain).
 */
export const awsPageConfigFrom = (env: Readonly<Record<string, string | undefined>>, requestOrigin: string): AwsPageConfig => {
  const need = (key: keyof typeof PAGE_CONFIG_ENV) => {
    const value = env[PAGE_CONFIG_ENV[key]];
    if (!value) throw new Error(`${PAGE_CONFIG_ENV[key]} is not set: the CDK app sets it on the API function (infra/stack.ts).`);
    return value.replace(/\/+$/, '');
  };
  const live = env[PAGE_CONFIG_ENV.live] ?? 'poll';
  return AwsPageConfig.parse({
    mode: 'aws',
    signIn: 'cognito',
    live,
    ...(env[PAGE_CONFIG_ENV.liveUrl] ? { liveUrl: env[PAGE_CONFIG_ENV.liveUrl] } : {}),
    ...(env[PAGE_CONFIG_ENV.liveHost] ? { liveHost: env[PAGE_CONFIG_ENV.liveHost] } : {}),
    ...(env[PAGE_CONFIG_ENV.liveApiKey] ? { liveApiKey: env[PAGE_CONFIG_ENV.liveApiKey] } : {}),
    apiUrl: (env[PAGE_CONFIG_ENV.apiUrl] ?? requestOrigin).replace(/\/+$/, ''),
    publicUrl: need('publicUrl'),
    cognito: { region: need('region'), userPoolId: need('userPoolId'), clientId: need('clientId'), domain: need('domain'), scopes: [...COGNITO_SCOPES] },
  });
};

/** The singer page of a rotation, where `GET /j/{code}` sends a phone. */
export const singerPageUrl = (config: PageConfig, rotationId: string): string =>
  `${config.publicUrl}/singer.html?${new URLSearchParams({ rotation: rotationId })}`;
