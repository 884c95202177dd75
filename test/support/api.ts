import { startEngine, type Engine, type EngineOptions } from '../../src/local/engine';

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly token?: string;
  /** An object is sent as JSON; a string is sent as it is (for malformed-input tests). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface TestApi {
  readonly engine: Engine;
  readonly url: string;
  token(sub: string, role: 'kj' | 'singer', name?: string): string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
}

/** The whole engine, in memory, on a free loopback port, for one test file: real sockets, real dynalite. */
export const startTestApi = (options: Pick<EngineOptions, 'now' | 'secondsToMs' | 'storeTransport'> = {}): TestApi => {
  let engine: Engine | undefined;
  beforeAll(async () => {
    engine = await startEngine({ port: 0, ...options });
  });
  afterAll(async () => {
    await engine?.stop();
  });
  const started = () => {
    if (!engine) throw new Error('startTestApi: use inside tests, after beforeAll');
    return engine;
  };
  return {
    get engine() {
      return started();
    },
    get url() {
      return started().url;
    },
    token: (sub, role, name = sub) => started().tokens.issue({ sub, name, role }),
    request: (method, path, options) => requestJson(started().url, method, path, options),
  };
};

/** One request to a running engine at `url`; a JSON answer is parsed, anything else left as text. */
export const requestJson = async <T = any>(url: string, method: string, path: string, { token, body, headers = {} }: RequestOptions = {}): Promise<ApiResponse<T>> => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* left as text: the test will say what came back */
  }
  return { status: response.status, body: parsed as any, headers: response.headers };
};

export const song = (title: string) => ({ title, artist: `${title} artist` });
