import { DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages, newTestContext } from 'entra-emulator/testing';
import type { Page } from 'playwright-core';
import { useSignInBrowserSuite } from './emulator-browser.suite';
import { signedInSessions, storedSessions, writeSession } from './session-store';

const alice = DEFAULT_USERS.alice;

describe('sign-in responses that must be refused, with no session user created', () => {
  const env = useSignInBrowserSuite();

  /** Signs in on the emulator but stops the browser before the app sees the answer; returns the callback URL. */
  async function captureCallback(page: Page): Promise<URL> {
    let callback: string | undefined;
    // Routes do not see redirected requests, so watch the emulator's redirects instead.
    await page.route(`${env.emulator.baseUrl}/**`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers()['location'];
      if (location?.startsWith(`${env.app.baseUrl}/signin-oidc`)) {
        callback = location;
        // Off to the app's public home page instead: the browser leaves the emulator, the callback unsent.
        return route.fulfill({ status: 302, headers: { location: `${env.app.baseUrl}/` } });
      }
      return route.fulfill({ response });
    });
    await page.goto(`${env.app.baseUrl}/profile?tab=2`);
    await answerEmulatorPages(page, alice);
    await page.unroute(`${env.emulator.baseUrl}/**`);
    expect(callback).toBeDefined();
    return new URL(callback!);
  }

  /** Starts a sign-in over plain HTTP: the session cookie and the state sent to the identity provider. */
  async function startSignIn(): Promise<{ cookie: string; state: string }> {
    const res = await fetch(`${env.app.baseUrl}/account/signin`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const authorize = new URL(res.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    return {
      cookie: res.headers.get('set-cookie')!.split(';')[0],
      state: authorize.searchParams.get('state')!,
    };
  }

  async function expectRefusedPage(page: Page, status: number | undefined, message: RegExp): Promise<void> {
    expect(status).toBe(400);
    await expect(page.title()).resolves.toBe('Sign-in failed');
    await expect(page.textContent('#message')).resolves.toMatch(message);
    await expect(page.getAttribute('#home', 'href')).resolves.toBe('/');
    expect(await page.content()).not.toMatch(/eyJ[\w-]+\./);
    expect(await signedInSessions(env.store)).toHaveLength(0);
  }

  it('refuses a callback whose state was not issued to this browser', async () => {
    const page = await env.context.newPage();
    const callback = await captureCallback(page);
    callback.searchParams.set('state', 'forged-state');
    const res = await page.goto(callback.toString());
    await expectRefusedPage(page, res?.status(), /unknown or already used state/);
  });

  it('refuses a callback whose ID token nonce does not match the stored one', async () => {
    const page = await env.context.newPage();
    const callback = await captureCallback(page);
    const sessions = await storedSessions(env.store);
    const [sid] = Object.keys(sessions);
    const pending = sessions[sid].identityWeb!.pending!;
    expect(pending).toHaveLength(1);
    pending[0].nonce = 'a-nonce-the-identity-provider-never-saw';
    await writeSession(env.store, sid, sessions[sid]);
    const res = await page.goto(callback.toString());
    await expectRefusedPage(page, res?.status(), /refused/);
  });

  it('refuses a replayed code under another browser state, and the spent callback in another browser', async () => {
    const page = await env.context.newPage();
    const callback = await captureCallback(page);
    await page.goto(callback.toString());
    await page.waitForURL(`${env.app.baseUrl}/profile?tab=2`);
    expect(await signedInSessions(env.store)).toHaveLength(1);
    const tokenRequests = env.emulator.control.counters().endpoints.token ?? 0;

    // The same answer in the browser that completed it (its Back button): its page again, the
    // code not redeemed twice.
    const again = await page.goto(callback.toString());
    expect(again?.status()).toBe(200);
    expect(page.url()).toBe(`${env.app.baseUrl}/profile?tab=2`);
    expect(env.emulator.control.counters().endpoints.token ?? 0).toBe(tokenRequests);

    // The spent callback in another browser: refused.
    const other = await (await newTestContext(env.browser)).newPage();
    const elsewhere = await other.goto(callback.toString());
    expect(elsewhere?.status()).toBe(400);
    await expect(other.textContent('#message')).resolves.toMatch(/unknown or already used state/);
    await other.context().close();

    // An attacker who got hold of the code starts their own sign-in and pastes it in.
    const attacker = await startSignIn();
    const replay = new URL(callback);
    replay.searchParams.set('state', attacker.state);
    const res = await fetch(replay, {
      redirect: 'manual',
      headers: { cookie: attacker.cookie, accept: 'text/html' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Sign-in failed/);
    expect(await signedInSessions(env.store)).toHaveLength(1);
  });

  it('refuses a return URL to another origin before anything is stored', async () => {
    const page = await env.context.newPage();
    const res = await page.goto(
      `${env.app.baseUrl}/account/signin?returnUrl=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(res?.status()).toBe(400);
    await expect(page.textContent('#message')).resolves.toMatch(/other origin/);
    expect(Object.keys(await storedSessions(env.store))).toHaveLength(0);
    expect(await env.context.cookies()).toHaveLength(0);
  });

  it('shows a clear page, not a redirect loop, when the user declines (access_denied)', async () => {
    const { cookie, state } = await startSignIn();
    const res = await fetch(
      `${env.app.baseUrl}/signin-oidc?error=access_denied&error_description=${encodeURIComponent('<script>x</script>')}&state=${state}`,
      { redirect: 'manual', headers: { cookie, accept: 'text/html' } },
    );
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toMatch(/Sign-in was cancelled: this app did not get permission to sign you in/);
    expect(html).toContain('href="/"');
    expect(html).not.toContain('<script>');
    expect(await signedInSessions(env.store)).toHaveLength(0);
  });

  it('reads a form_post answer from the body the same way', async () => {
    const { cookie, state } = await startSignIn();
    const res = await fetch(`${env.app.baseUrl}/signin-oidc`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ state, error: 'access_denied' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/Sign-in was cancelled/);
    expect(await signedInSessions(env.store)).toHaveLength(0);
  });

  it('starts the same PKCE sign-in through AuthGuard("entra-id")', async () => {
    const res = await fetch(`${env.app.baseUrl}/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const authorize = new URL(res.headers.get('location')!);
    expect(authorize.origin).toBe(env.emulator.baseUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${env.app.baseUrl}/signin-oidc`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const [stored] = Object.values(await storedSessions(env.store));
    expect(stored.identityWeb?.pending?.[0].state).toBe(authorize.searchParams.get('state'));
  });

  it('answers API calls without a session with 401 JSON, not a redirect, naming where to sign in', async () => {
    const res = await fetch(`${env.app.baseUrl}/api/me`, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(401);
    await expect(res.json()).resolves.toEqual({
      error: 'no_user',
      message: 'Sign-in required.',
      signInUrl: `/account/signin?returnUrl=${encodeURIComponent('/api/me')}`,
    });
    // A page's fetch comes back to the page, not to the API.
    const fromPage = await fetch(`${env.app.baseUrl}/api/me`, {
      headers: { accept: 'application/json', referer: `${env.app.baseUrl}/profile?tab=2` },
    });
    expect(((await fromPage.json()) as { signInUrl: string }).signInUrl).toBe(
      `/account/signin?returnUrl=${encodeURIComponent('/profile?tab=2')}`,
    );
  });

  it('redirects a browser navigation to sign in with the path and query as return URL', async () => {
    const page = await env.context.newPage();
    const navigations: string[] = [];
    page.on('request', (r) => {
      if (r.isNavigationRequest()) navigations.push(r.url());
    });
    await page.goto(`${env.app.baseUrl}/profile?tab=2&x=%2F`);
    expect(navigations[1]).toBe(
      `${env.app.baseUrl}/account/signin?returnUrl=${encodeURIComponent('/profile?tab=2&x=%2F')}`,
    );
  });
});
