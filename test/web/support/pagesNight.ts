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
  };
};
