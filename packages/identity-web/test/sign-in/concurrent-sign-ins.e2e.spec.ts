import { DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages } from 'entra-emulator/testing';
import type { Page } from 'playwright-core';
import { useSignInBrowserSuite } from './emulator-browser.suite';
import { signedInSessions } from './session-store';

const alice = DEFAULT_USERS.alice;

describe('two sign-ins started at once in one browser (two tabs, restored tabs) both complete', () => {
  const env = useSignInBrowserSuite();

  /** Opens a protected page in a new tab and stops on the identity provider's sign-in page. */
  async function startIn(tab: string): Promise<Page> {
    const page = await env.context.newPage();
    await page.goto(`${env.app.baseUrl}/profile?tab=${tab}`);
    expect(page.url().startsWith(env.emulator.baseUrl)).toBe(true);
    return page;
  }

  async function finish(page: Page): Promise<{ status?: number; url: string; tab: string | null }> {
    let status: number | undefined;
    page.on('response', (r) => {
      if (r.url().startsWith(`${env.app.baseUrl}/signin-oidc`)) status = r.status();
    });
    await answerEmulatorPages(page, alice);
    await page.waitForLoadState();
    const tab = (await page.locator('#tab').count()) > 0 ? await page.textContent('#tab') : null;
    return { status, url: page.url(), tab };
  }

  it.each([
    ['the first started finishes first', [0, 1]],
    ['the second started finishes first', [1, 0]],
  ])('%s: each tab lands on its own return URL, signed in once', async (_name, order) => {
    const tabs = [await startIn('1'), await startIn('2')];
    const results: Record<string, Awaited<ReturnType<typeof finish>>> = {};
    for (const index of order) results[index] = await finish(tabs[index]);
    expect(results[0]).toMatchObject({ status: 302, url: `${env.app.baseUrl}/profile?tab=1`, tab: '1' });
    expect(results[1]).toMatchObject({ status: 302, url: `${env.app.baseUrl}/profile?tab=2`, tab: '2' });
    expect(await signedInSessions(env.store)).toHaveLength(1);
  });
});
