import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import session from 'express-session';
import { TokenCacheStore } from 'nest-identity-web';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, originOf, signInOnEmulator } from './browser';
import { signedInSessions, type StoredSession } from './session-store';
import { startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

const alice = DEFAULT_USERS.alice;
const SUSI = 'B2C_1_signupsignin';
const EDIT = 'B2C_1_profileediting';
const RESET = 'B2C_1_passwordreset';

describe('B2C / External ID user flows in a real browser against the emulator', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let app: SignInTestApp;
  let store: session.MemoryStore;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    [emulator, browser] = await Promise.all([startEmulator({ port: 0, controlApi: true }), launchChromium()]);
    store = new session.MemoryStore();
    app = await startSignInTestApp(
      testOptions(emulator, DEFAULT_APPS.webApp, store, {
        tenantId: undefined,
        domain: 'contoso.onmicrosoft.com',
        signUpSignInPolicyId: SUSI,
        editProfilePolicyId: EDIT,
        resetPasswordPolicyId: RESET,
      }),
    );
  });

  beforeEach(async () => {
    await new Promise<void>((resolve) => store.clear?.(() => resolve()));
    context = await browser.newContext({ ignoreHTTPSErrors: true });
    context.setDefaultTimeout(10_000);
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await emulator?.close();
  });

  /** Goes through whatever the emulator shows (sign-in form, consent) until back on the app. */
  async function passEmulator(page: Page): Promise<void> {
    if (originOf(page.url()) !== emulator.baseUrl) return;
    if ((await page.locator('input[name=password]').count()) > 0) await signInOnEmulator(page, alice);
    else if ((await page.locator('#accept').count()) > 0) {
      await Promise.all([page.waitForEvent('framenavigated'), page.click('#accept')]);
    }
  }

  async function signedInSession(): Promise<StoredSession> {
    const sessions = await signedInSessions(store);
    expect(sessions).toHaveLength(1);
    return sessions[0];
  }

  function flowAccountId(susiAccountId: string, flow: string): string {
    return susiAccountId.replace(`-${SUSI.toLowerCase()}.`, `-${flow.toLowerCase()}.`);
  }

  it.each([
    ['editprofile', EDIT],
    ['resetpassword', RESET],
  ])(
    '%s runs its flow, keeps the sign-up-sign-in identity, and sign-out removes every partition',
    async (route, flow) => {
      const page = await context!.newPage();
      await page.goto(`${app.baseUrl}/profile`);
      expect(page.url()).toContain(`/${SUSI}/`);
      await signInOnEmulator(page, alice);
      await page.waitForURL(`${app.baseUrl}/profile`);
      const susiUser = (await signedInSession()).identityWeb!.user!;
      expect(susiUser.userFlow).toBe(SUSI);
      expect(susiUser.homeAccountId).toMatch(new RegExp(`-${SUSI.toLowerCase()}\\.`));

      const visited: string[] = [];
      page.on('request', (r) => {
        if (r.isNavigationRequest()) visited.push(r.url());
      });
      await page.goto(`${app.baseUrl}/account/${route}?returnUrl=${encodeURIComponent('/profile?tab=me')}`);
      await passEmulator(page);
      await page.waitForURL(`${app.baseUrl}/profile?tab=me`);
      const authorize = visited.map((u) => new URL(u)).find((u) => u.pathname.endsWith('/authorize'));
      expect(authorize?.pathname.toLowerCase()).toContain(`/${flow.toLowerCase()}/`);
      expect(authorize?.searchParams.get('login_hint')).toBe(alice.username);

      // The session still holds the sign-up-sign-in identity; both partitions are recorded.
      const after = (await signedInSession()).identityWeb!;
      expect(after.user).toMatchObject({ homeAccountId: susiUser.homeAccountId, userFlow: SUSI });
      const flowPartition = flowAccountId(susiUser.homeAccountId, flow);
      expect(after.partitions).toEqual(expect.arrayContaining([susiUser.homeAccountId, flowPartition]));
      const cache = app.app.get(TokenCacheStore);
      expect(await cache.get(susiUser.homeAccountId)).toContain('RefreshToken');
      expect(await cache.get(flowPartition)).toContain('RefreshToken');

      await page.goto(`${app.baseUrl}/account/signout`);
      await page.waitForURL(`${app.baseUrl}/`);
      expect(await signedInSessions(store)).toHaveLength(0);
      expect(await cache.get(susiUser.homeAccountId)).toBeUndefined();
      expect(await cache.get(flowPartition)).toBeUndefined();
    },
  );

  it('"Forgot your password?" on the sign-in page runs the reset-password flow and lands on the page asked for', async () => {
    const page = await context!.newPage();
    const visited: string[] = [];
    page.on('request', (r) => {
      if (r.isNavigationRequest()) visited.push(r.url());
    });
    await page.goto(`${app.baseUrl}/profile?tab=2`);
    expect(page.url()).toContain(`/${SUSI}/`);
    await page.click('#forgot-password'); // the emulator answers AADB2C90118, as B2C does
    await page.waitForURL((url) => url.pathname.includes(`/${RESET}/`));
    await signInOnEmulator(page, alice);
    await page.waitForURL(`${app.baseUrl}/profile?tab=2`);
    const callback = visited
      .map((u) => new URL(u))
      .find((u) => u.searchParams.get('error') === 'access_denied');
    expect(callback?.searchParams.get('error_description')).toMatch(/^AADB2C90118:/);
    const user = (await signedInSession()).identityWeb!.user!;
    expect(user.homeAccountId).toMatch(new RegExp(`-${SUSI.toLowerCase()}\\.`));
  });

  it('accepts only the configured user flows as challenge?policy=', async () => {
    const res = await fetch(`${app.baseUrl}/account/challenge?policy=${EDIT.toLowerCase()}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).pathname).toContain(`/${EDIT}/`);
    const refused = await fetch(`${app.baseUrl}/account/challenge?policy=B2C_1_other`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(refused.status).toBe(400);
    await expect(refused.json()).resolves.toEqual({
      error: 'invalid_argument',
      message: `The policy parameter must be one of the configured user flows: ${SUSI}, ${EDIT}, ${RESET}.`,
    });
  });
});
