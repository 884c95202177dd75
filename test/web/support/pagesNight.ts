import type { Browser, Page } from 'playwright-core';
import { startEngine, type Engine, type EngineOptions } from '../../../src/local/engine';
import { launchBrowser, openPage, type WatchedPage } from './browser';
import { buildWebPages } from './webBuild';

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };
export const SCREEN = { width: 1280, height: 720 };

/**
 * The freshly built pages served by a whole engine, and one browser in which each page opened is its own
 * device (browser context) and is watched for console errors and failed requests. Set up around the calling
 * test file (beforeAll/afterAll).
 */
export const startPagesNight = (options: Pick<EngineOptions, 'liveHeartbeatMs'> = {}) => {
  let build: ReturnType<typeof buildWebPages> | undefined;
  let engine: Engine | undefined;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    build = buildWebPages();
    engine = await startEngine({ port: 0, webDir: build.dir, ...options });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    build?.remove();
  });

  return {
    get engine(): Engine {
      return engine!;
    },
    pages,
    open: async (url: string, viewport: { width: number; height: number }, options?: { isMobile?: boolean }): Promise<Page> => {
      const watched = await openPage(browser!, url, viewport, options);
      pages.push(watched);
      return watched.page;
    },
    /** A write sent straight to the engine as `token` (the KJ at another screen, a singer elsewhere); it must succeed. */
    post: (path: string, token: string, body?: unknown) => postToEngine(engine!.url, path, token, body),
  };
};

/** A write sent straight to the engine at `url` as `token`; it must succeed. */
export const postToEngine = async (url: string, path: string, token: string, body?: unknown): Promise<Record<string, string>> => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.json() as Promise<Record<string, string>>;
};

/** On a singer page just opened: signs in as `name` and joins with Jolene (the answer is the caller's to wait for). */
export const joinWithJolene = async (phone: Page, name: string): Promise<void> => {
  await phone.getByLabel('Your name').fill(name);
  await phone.getByRole('button', { name: 'Continue' }).click();
  const join = phone.locator('#join-form');
  await join.getByLabel('Song', { exact: true }).fill('Jolene');
  await join.getByLabel('Artist').fill('Dolly Parton');
  await join.getByRole('button', { name: 'Join with this song' }).click();
};
