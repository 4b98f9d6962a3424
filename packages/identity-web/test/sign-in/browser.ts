import { chromium, type Browser, type Page } from 'playwright-core';

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
