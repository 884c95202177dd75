import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ARTIFACTS = resolve(__dirname, '..', '..', '..', 'test-artifacts', 'web');

/** Debian's chromium; CI installs it (apt-get install -y chromium). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without these Chromium phones home at start-up, and this closed network refuses it loudly.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright gives every launch a fresh throw-away profile (--user-data-dir), so no state leaks between runs. */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });

export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors, uncaught exceptions and failed requests, as they happened. */
  readonly problems: string[];
  /** How many times the main frame navigated after the first load (a live page must stay at 0). */
  navigations(): number;
}

/** A page in its own context (its own localStorage: a separate person's device), watched for problems. */
export const openPage = async (
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  options: { isMobile?: boolean } = {},
): Promise<WatchedPage> => {
  const context = await browser.newContext({ viewport, isMobile: options.isMobile ?? false, hasTouch: options.isMobile ?? false });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  let navigations = -1;
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // An EventSource torn down when its page or context closes is not a fault of the page.
    if (!/ERR_ABORTED/.test(request.failure()?.errorText ?? '')) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.goto(url);
  return { page, context, problems, navigations: () => navigations };
};

/** Waits until the locator's text satisfies `expected` (a substring or pattern), then returns it. */
export const waitForText = async (locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.textContent({ timeout: timeoutMs }).catch(() => '')) ?? '';
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    if (Date.now() > deadline) throw new Error(`Expected ${String(expected)} in ${String(locator)}, last saw: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** The page is no wider than its viewport: nothing to scroll sideways on a phone. */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

/** The text of the element that has the keyboard focus. */
export const focusedText = (page: Page): Promise<string> =>
  page.evaluate('document.activeElement ? document.activeElement.textContent.trim() : ""') as Promise<string>;

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
};
