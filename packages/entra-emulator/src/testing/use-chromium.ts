import type { Browser, LaunchOptions } from 'playwright-core';

import { launchChromium } from './chromium';
import { HOOK_TIMEOUT_MS, lateValue, testHooks, type TestHooks } from './test-hooks';

/**
 * Jest (or Vitest) hooks for the enclosing `describe` or file: launches Chromium before all its
 * tests ({@link launchChromium}) and closes it after them. Returns a getter for the browser;
 * give each test its own profile with {@link newTestContext}.
 *
 * @example
 * ```ts
 * const browser = useChromium();
 * it('signs in', async () => {
 *   const page = await (await newTestContext(browser())).newPage();
 *   await signInWithPage(page, appUrl, DEFAULT_USERS.alice);
 * });
 * ```
 */
export function useChromium(options: LaunchOptions = {}, hooks: Partial<TestHooks> = {}): () => Browser {
  const { beforeAll, afterAll } = testHooks(hooks);
  const browser = lateValue<Browser>('Chromium');
  beforeAll(async () => browser.set(await launchChromium(options)), HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser.peek()?.close();
    browser.set(undefined);
  });
  return browser.get;
}
