import type { BrowserContext, Page } from 'playwright-core';

import { DEFAULT_USERS } from '../../src/index';
import {
  answerEmulatorPages,
  newTestContext,
  signInWithPage,
  useChromium,
  useEmulator,
} from '../../src/testing';
import { useRelyingParties } from '../support/relying-party';

const { alice, bob } = DEFAULT_USERS;

describe('signInWithPage and answerEmulatorPages: the emulator pages in real Chromium', () => {
  const emu = useEmulator();
  const { query: app, formPost: formPostApp } = useRelyingParties(emu);
  const browser = useChromium();
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    context = await newTestContext(browser());
    page = await context.newPage();
  });
  afterEach(() => context.close());

  const me = () => page.evaluate(() => fetch('/me').then((res) => res.status));

  it("signs in through the app's route and waits until the browser is back on the return URL", async () => {
    const result = await signInWithPage(page, app().url, alice, { returnUrl: '/protected' });
    expect(result).toEqual({
      url: `${app().url}/protected`,
      pages: ['login', 'consent'],
      consentScopes: ['openid', 'profile', 'offline_access', 'User.Read'],
    });
    expect(await page.textContent('#message')).toBe(`Hello ${alice.username}`);
    expect(await me()).toBe(200);
  });

  it('types the MFA code for bob, and the form_post answer reaches the app', async () => {
    const result = await signInWithPage(page, formPostApp().url, bob);
    expect(result).toMatchObject({ url: `${formPostApp().url}/`, pages: ['login', 'mfa', 'consent'] });
    expect(await me()).toBe(200);
  });

  it('stops on the consent page when asked, for the test to answer by hand', async () => {
    const stopped = await signInWithPage(page, app().url, alice, { stopAt: 'consent' });
    expect(stopped).toMatchObject({ stoppedAt: 'consent', pages: ['login', 'consent'] });
    expect(new URL(page.url()).origin).toBe(emu().baseUrl);
    await page.click('#accept');
    await page.waitForURL(`${app().url}/`);
    expect(await me()).toBe(200);
  });

  it("shows the app's refusal page when consent is refused", async () => {
    const refused = await signInWithPage(page, app().url, alice, { consent: 'refuse' });
    expect(new URL(refused.url).pathname).toBe('/signin-oidc');
    expect(await page.textContent('#message')).toBe('Sign-in failed: access_denied');
    expect(await me()).toBe(401);
  });

  it('answers the pages after a navigation of the test’s own, and fails on a wrong password', async () => {
    await page.goto(`${app().url}/protected`);
    await expect(answerEmulatorPages(page, { ...alice, password: 'wrong' })).rejects.toMatchObject({
      name: 'SignInFlowError',
      page: 'login',
      message: expect.stringContaining('AADSTS50126'),
    });
    const answered = await answerEmulatorPages(page, alice);
    expect(answered.url).toBe(`${app().url}/protected`);
  });
});
