import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Launches the machine's Chromium headless, as the project's end-to-end tests do. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context for one test: it trusts the emulator's self-signed HTTPS certificate
 * (Chromium ignores `NODE_EXTRA_CA_CERTS`) and gives up on a step after 10 s instead of hanging.
 *
 * @example
 * ```ts
 * const page = await (await newTestContext(browser)).newPage();
 * ```
 */
export async function newTestContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.setDefaultTimeout(10_000);
  return context;
}

/**
 * Opens an app page that needs sign-in, signs in on the emulator and waits until the browser is
 * back on that same page.
 *
 * @example
 * ```ts
 * await signInAt(page, `${app.baseUrl}/profile`, DEFAULT_USERS.alice);
 * ```
 */
export async function signInAt(
  page: Page,
  url: string,
  user: { username: string; password: string },
): Promise<void> {
  await page.goto(url);
  await signInOnEmulator(page, user);
  await page.waitForURL(url);
}

/** Fills the emulator's sign-in form and submits it. */
export async function signInOnEmulator(
  page: Page,
  user: { username: string; password: string },
): Promise<void> {
  const emulatorOrigin = originOf(page.url());
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', user.password);
  await Promise.all([page.waitForEvent('framenavigated'), page.press('input[name=password]', 'Enter')]);
  await page.waitForLoadState();
  if (originOf(page.url()) === emulatorOrigin && (await page.locator('#accept').count()) > 0) {
    await Promise.all([page.waitForEvent('framenavigated'), page.click('#accept')]);
    await page.waitForLoadState();
  }
}

/** The origin of a URL string. */
export function originOf(url: string | URL): string {
  return new URL(url).origin;
}
