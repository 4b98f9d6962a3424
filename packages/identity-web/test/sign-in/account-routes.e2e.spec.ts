import { DEFAULT_APPS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { navigate } from 'entra-emulator/testing';
import session from 'express-session';
import { storedSessions } from './session-store';
import { startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

/** A browser's GET with headers fetch will not send (a spoofed Host). */
function rawGet(url: string, headers: Record<string, string>) {
  return navigate(url, { headers });
}

describe('account routes refuse bad input and build URLs from configuration', () => {
  let emulator: RunningEmulator;
  let entra: SignInTestApp;
  let pinned: SignInTestApp;
  let postOnly: SignInTestApp;
  let rootPrefix: SignInTestApp;
  let customPrefix: SignInTestApp;
  let entraSessions: session.MemoryStore;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
    const store = () => new session.MemoryStore();
    entraSessions = store();
    entra = await startSignInTestApp(testOptions(emulator, DEFAULT_APPS.webApp, entraSessions));
    postOnly = await startSignInTestApp({
      ...testOptions(emulator, DEFAULT_APPS.webApp, store()),
      signOutMethods: ['POST'],
    });
    rootPrefix = await startSignInTestApp({
      ...testOptions(emulator, DEFAULT_APPS.webApp, store()),
      accountRoutesPrefix: '/',
    });
    customPrefix = await startSignInTestApp({
      ...testOptions(emulator, DEFAULT_APPS.webApp, store()),
      accountRoutesPrefix: '/auth/',
    });
    // Last: passport keeps one 'entra-id' strategy per process, so AuthGuard('entra-id') uses this app's.
    pinned = await startSignInTestApp(
      testOptions(emulator, DEFAULT_APPS.webApp, store(), { redirectUri: 'https://localhost/signin-oidc' }),
    );
  });

  afterAll(async () => {
    await Promise.all([entra, pinned, postOnly, rootPrefix, customPrefix].map((app) => app?.close()));
    await emulator?.close();
  });

  async function discoveryRequests(): Promise<number> {
    return (await emulator.control.counters()).endpoints.discovery ?? 0;
  }

  describe('anonymous sessions', () => {
    it('keep a session that only holds a pending sign-in for 10 minutes, not the 8-hour lifetime', async () => {
      await new Promise<void>((resolve) => entraSessions.clear(() => resolve()));
      const res = await fetch(`${entra.baseUrl}/account/signin`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const sessions = Object.values(await storedSessions(entraSessions));
      expect(sessions).toHaveLength(1);
      expect(sessions[0].identityWeb?.pending).toHaveLength(1);
      // express-session derives it from the expiry date, so it may read a millisecond short.
      expect(sessions[0].cookie.originalMaxAge).toBeGreaterThan(10 * 60 * 1000 - 1000);
      expect(sessions[0].cookie.originalMaxAge).toBeLessThanOrEqual(10 * 60 * 1000);
      const expires = /Expires=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      expect(new Date(expires!).getTime()).toBe(new Date(sessions[0].cookie.expires!).setMilliseconds(0));
    });
  });

  describe('challenge?claims=', () => {
    it('answers 400 invalid_argument for claims that are not a JSON object, before contacting the IdP', async () => {
      for (const claims of ['notjson', '"text"', '[1]', 'null']) {
        const res = await fetch(`${entra.baseUrl}/account/challenge?claims=${encodeURIComponent(claims)}`, {
          redirect: 'manual',
          headers: { accept: 'application/json' },
        });
        expect(res.status).toBe(400);
        await expect(res.json()).resolves.toMatchObject({ error: 'invalid_argument' });
      }
      const page = await fetch(`${entra.baseUrl}/account/challenge?claims=notjson`, {
        redirect: 'manual',
        headers: { accept: 'text/html' },
      });
      expect(page.status).toBe(400);
      expect(await page.text()).toMatch(/claims parameter must be a JSON object/);
    });

    it('passes a JSON claims request on to the identity provider', async () => {
      const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
      const res = await fetch(`${entra.baseUrl}/account/challenge?claims=${encodeURIComponent(claims)}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(302);
      const authorize = new URL(res.headers.get('location')!);
      expect(JSON.parse(authorize.searchParams.get('claims')!)).toMatchObject(JSON.parse(claims));
    });
  });

  describe('challenge?policy= on an app without user flows', () => {
    it('answers 400 and fetches no metadata for the made-up authority', async () => {
      await fetch(`${entra.baseUrl}/account/signin`, { redirect: 'manual' }); // metadata cached
      const before = await discoveryRequests();
      for (const policy of ['foo', 'B2C_1_signupsignin', 'bar']) {
        const res = await fetch(`${entra.baseUrl}/account/challenge?policy=${policy}`, {
          redirect: 'manual',
          headers: { accept: 'application/json' },
        });
        expect(res.status).toBe(400);
        await expect(res.json()).resolves.toMatchObject({
          error: 'invalid_argument',
          message: expect.stringMatching(/only accepted by B2C/),
        });
      }
      expect(await discoveryRequests()).toBe(before);
    });
  });

  describe('AzureAd:RedirectUri', () => {
    const spoofed = { host: 'evil.example', 'x-forwarded-proto': 'http' };

    it('is the redirect_uri of the account routes and of AuthGuard("entra-id"), whatever the Host header', async () => {
      for (const path of ['/account/signin', '/account/challenge?scope=User.Read', '/login']) {
        const res = await rawGet(`${pinned.baseUrl}${path}`, spoofed);
        expect({ path, status: res.status }).toEqual({ path, status: 302 });
        expect({ path, redirectUri: new URL(res.location!).searchParams.get('redirect_uri') }).toEqual({
          path,
          redirectUri: 'https://localhost/signin-oidc',
        });
      }
    });

    it('gives the post-logout redirect URI its origin, and checks return URLs against it', async () => {
      const signOut = await rawGet(`${pinned.baseUrl}/account/signout`, spoofed);
      expect(signOut.status).toBe(302);
      expect(new URL(signOut.location!).searchParams.get('post_logout_redirect_uri')).toBe(
        'https://localhost/signout-callback-oidc',
      );
      const evil = await rawGet(
        `${pinned.baseUrl}/account/signin?returnUrl=${encodeURIComponent('http://evil.example/x')}`,
        { ...spoofed, accept: 'application/json', 'sec-fetch-mode': 'cors' },
      );
      expect(evil.status).toBe(400);
    });

    it('is built from the request when not configured (development)', async () => {
      const res = await fetch(`${entra.baseUrl}/account/signin`, { redirect: 'manual' });
      expect(new URL(res.headers.get('location')!).searchParams.get('redirect_uri')).toBe(
        `${entra.baseUrl}/signin-oidc`,
      );
    });
  });

  describe('accountRoutesPrefix', () => {
    const html = { accept: 'text/html' };

    it.each([
      ["'/' (regression: the routes were matched at '//signin')", () => rootPrefix, ''],
      ["'/auth/' (a custom prefix with a trailing slash)", () => customPrefix, '/auth'],
    ])('%s: serves the routes under it and sends unsigned visitors there', async (_name, app, prefix) => {
      const { baseUrl } = app();
      const signIn = await fetch(`${baseUrl}${prefix}/signin`, { redirect: 'manual' });
      expect(signIn.status).toBe(302);
      expect(new URL(signIn.headers.get('location')!).origin).toBe(emulator.baseUrl);

      const signOut = await fetch(`${baseUrl}${prefix}/signout`, { redirect: 'manual' });
      expect(signOut.status).toBe(302);
      expect(signOut.headers.get('location')).toMatch(/\/oauth2\/v2\.0\/logout\?/);

      const profile = await rawGet(`${baseUrl}/profile?tab=2`, html);
      expect(profile.status).toBe(302);
      expect(profile.location).toBe(`${prefix}/signin?returnUrl=${encodeURIComponent('/profile?tab=2')}`);
    });

    it('leaves the default /account paths to the app when another prefix is configured', async () => {
      const res = await fetch(`${customPrefix.baseUrl}/account/signin`, {
        redirect: 'manual',
        headers: { accept: 'application/json' },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('signOutMethods', () => {
    it('answers GET and POST sign-outs by default', async () => {
      for (const method of ['GET', 'POST']) {
        // A browser's own page sends its origin with a POST.
        const res = await fetch(`${entra.baseUrl}/account/signout`, {
          method,
          redirect: 'manual',
          headers: { origin: entra.baseUrl },
        });
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toMatch(/\/oauth2\/v2\.0\/logout\?/);
      }
    });

    it("with ['POST'] refuses a GET (a cross-site link or image) with 405 and signs out on POST", async () => {
      const get = await fetch(`${postOnly.baseUrl}/account/signout`, { redirect: 'manual' });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const post = await fetch(`${postOnly.baseUrl}/account/signout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: postOnly.baseUrl },
      });
      expect(post.status).toBe(302);
      expect(post.headers.get('location')).toMatch(/\/oauth2\/v2\.0\/logout\?/);
    });
  });
});
