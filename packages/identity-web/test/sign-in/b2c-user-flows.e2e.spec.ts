import { DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages } from 'entra-emulator/testing';
import { TokenCacheStore } from 'nest-identity-web';
import { userCacheKey } from '../../src/token-cache/partition-keys';
import { useSignInBrowserSuite } from './emulator-browser.suite';
import { signedInSessions, type StoredSession } from './session-store';

const alice = DEFAULT_USERS.alice;
const SUSI = 'B2C_1_signupsignin';
const EDIT = 'B2C_1_profileediting';
const RESET = 'B2C_1_passwordreset';

describe('B2C / External ID user flows in a real browser against the emulator', () => {
  const env = useSignInBrowserSuite({
    tenantId: undefined,
    domain: 'contoso.onmicrosoft.com',
    signUpSignInPolicyId: SUSI,
    editProfilePolicyId: EDIT,
    resetPasswordPolicyId: RESET,
  });

  async function signedInSession(): Promise<StoredSession> {
    const sessions = await signedInSessions(env.store);
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
      const page = await env.context.newPage();
      await page.goto(`${env.app.baseUrl}/profile`);
      expect(page.url()).toContain(`/${SUSI.toLowerCase()}/`); // B2C's metadata writes the flow in lower case
      await answerEmulatorPages(page, alice);
      await page.waitForURL(`${env.app.baseUrl}/profile`);
      const susiUser = (await signedInSession()).identityWeb!.user!;
      expect(susiUser.userFlow).toBe(SUSI);
      expect(susiUser.homeAccountId).toMatch(new RegExp(`-${SUSI.toLowerCase()}\\.`));

      const visited: string[] = [];
      page.on('request', (r) => {
        if (r.isNavigationRequest()) visited.push(r.url());
      });
      await page.goto(
        `${env.app.baseUrl}/account/${route}?returnUrl=${encodeURIComponent('/profile?tab=me')}`,
      );
      // SSO may bring the browser straight back; otherwise answer what the emulator shows.
      if (new URL(page.url()).origin === env.emulator.baseUrl) await answerEmulatorPages(page, alice);
      await page.waitForURL(`${env.app.baseUrl}/profile?tab=me`);
      const authorize = visited.map((u) => new URL(u)).find((u) => u.pathname.endsWith('/authorize'));
      expect(authorize?.pathname.toLowerCase()).toContain(`/${flow.toLowerCase()}/`);
      expect(authorize?.searchParams.get('login_hint')).toBe(alice.username);

      // The session still holds the sign-up-sign-in identity; both partitions are recorded.
      const after = (await signedInSession()).identityWeb!;
      expect(after.user).toMatchObject({ homeAccountId: susiUser.homeAccountId, userFlow: SUSI });
      const flowPartition = flowAccountId(susiUser.homeAccountId, flow);
      expect(after.partitions).toEqual(expect.arrayContaining([susiUser.homeAccountId, flowPartition]));
      const cache = env.app.app.get(TokenCacheStore);
      expect(await cache.get(userCacheKey(susiUser.homeAccountId))).toContain('RefreshToken');
      expect(await cache.get(userCacheKey(flowPartition))).toContain('RefreshToken');

      await page.goto(`${env.app.baseUrl}/account/signout`);
      await page.waitForURL(`${env.app.baseUrl}/`);
      expect(await signedInSessions(env.store)).toHaveLength(0);
      expect(await cache.get(userCacheKey(susiUser.homeAccountId))).toBeUndefined();
      expect(await cache.get(userCacheKey(flowPartition))).toBeUndefined();
    },
  );

  it('"Forgot your password?" on the sign-in page runs the reset-password flow and lands on the page asked for', async () => {
    const page = await env.context.newPage();
    const visited: string[] = [];
    page.on('request', (r) => {
      if (r.isNavigationRequest()) visited.push(r.url());
    });
    await page.goto(`${env.app.baseUrl}/profile?tab=2`);
    expect(page.url()).toContain(`/${SUSI.toLowerCase()}/`); // B2C's metadata writes the flow in lower case
    await page.click('#forgot-password'); // the emulator answers AADB2C90118, as B2C does
    await page.waitForURL((url) => url.pathname.includes(`/${RESET.toLowerCase()}/`));
    await answerEmulatorPages(page, alice);
    await page.waitForURL(`${env.app.baseUrl}/profile?tab=2`);
    const callback = visited
      .map((u) => new URL(u))
      .find((u) => u.searchParams.get('error') === 'access_denied');
    expect(callback?.searchParams.get('error_description')).toMatch(/^AADB2C90118:/);
    const user = (await signedInSession()).identityWeb!.user!;
    expect(user.homeAccountId).toMatch(new RegExp(`-${SUSI.toLowerCase()}\\.`));
  });

  it('accepts only the configured user flows as challenge?policy=', async () => {
    const res = await fetch(`${env.app.baseUrl}/account/challenge?policy=${EDIT.toLowerCase()}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).pathname).toContain(`/${EDIT.toLowerCase()}/`);
    const refused = await fetch(`${env.app.baseUrl}/account/challenge?policy=B2C_1_other`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(refused.status).toBe(400);
    await expect(refused.json()).resolves.toEqual({
      error: 'invalid_argument',
      message: `The policy parameter must be one of the configured user flows: ${SUSI}, ${EDIT}, ${RESET}.`,
      correlationId: expect.any(String),
    });
  });
});
