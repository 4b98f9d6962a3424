import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages, newTestContext, signInWithPage } from 'entra-emulator/testing';
import session from 'express-session';
import type { BrowserContext, Page } from 'playwright-core';
import { Logger } from '@nestjs/common';
import { TokenCacheStore } from 'nest-identity-web';
import { userCacheKey } from '../../src/token-cache/partition-keys';
import { useEmulatorAndChromium } from './emulator-browser.suite';
import { signedInSessions, storedSessions } from './session-store';
import { PAGE_SCOPES, startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

const alice = DEFAULT_USERS.alice;
const originOf = (url: string) => new URL(url).origin;

/** A token cache whose store is down for removals only: sign-in works, sign-out cannot remove. */
class RemoveFailsStore extends TokenCacheStore {
  readonly partitions = new Map<string, string>();
  removals = 0;
  async get(key: string): Promise<string | undefined> {
    return this.partitions.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.partitions.set(key, value);
  }
  async remove(): Promise<void> {
    this.removals += 1;
    throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
  }
}

describe('sign-in in a real browser against the emulator', () => {
  const env = useEmulatorAndChromium();
  let context: BrowserContext | undefined;
  const apps: SignInTestApp[] = [];

  afterEach(async () => {
    await context?.close();
    context = undefined;
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  async function start(store: session.MemoryStore, tokenCache?: TokenCacheStore): Promise<SignInTestApp> {
    const app = await startSignInTestApp({
      ...testOptions(env.emulator, DEFAULT_APPS.webApp, store, { initialScopes: PAGE_SCOPES }),
      ...(tokenCache ? { tokenCache: { store: tokenCache } } : {}),
    });
    apps.push(app);
    return app;
  }

  /** A page in a fresh browser context, which `afterEach` closes. */
  async function newPage(): Promise<Page> {
    context = await newTestContext(env.browser);
    return context.newPage();
  }

  it('takes an anonymous visitor through the emulator sign-in page back to the protected page and query', async () => {
    const store = new session.MemoryStore();
    const app = await start(store);
    const page = await newPage();

    await page.goto(`${app.baseUrl}/`);
    await expect(page.textContent('p')).resolves.toBe('Anonymous');

    await page.goto(`${app.baseUrl}/profile?tab=2`);
    expect(originOf(page.url())).toBe(env.emulator.baseUrl);
    const sidBeforeSignIn = (await page.context().cookies()).find((c) => c.name === 'iw.sid')?.value;
    expect(sidBeforeSignIn).toBeDefined();

    await answerEmulatorPages(page, alice);
    await page.waitForURL(`${app.baseUrl}/profile?tab=2`);
    await expect(page.textContent('#name')).resolves.toBe(alice.displayName);
    await expect(page.textContent('#tab')).resolves.toBe('2');

    // The session cookie: HttpOnly, SameSite=Lax, and a new id after sign-in (no fixation).
    const cookie = (await page.context().cookies(app.baseUrl)).find((c) => c.name === 'iw.sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    expect(cookie?.value).not.toBe(sidBeforeSignIn);

    // The session keeps who the user is, never a token.
    const [stored, ...others] = await signedInSessions(store);
    expect(others).toHaveLength(0);
    expect(stored.identityWeb?.user).toMatchObject({ username: alice.username, name: alice.displayName });
    expect(stored.identityWeb?.pending ?? []).toHaveLength(0);
    // Signed in: the full session lifetime (an anonymous pending sign-in only gets 10 minutes).
    // express-session derives it from the expiry date, so it may read a millisecond short.
    expect(stored.cookie.originalMaxAge).toBeGreaterThan(8 * 60 * 60 * 1000 - 1000);
    expect(stored.cookie.originalMaxAge).toBeLessThanOrEqual(8 * 60 * 60 * 1000);
    expect(JSON.stringify(await storedSessions(store))).not.toMatch(/eyJ[\w-]+\.|refresh_?token|secret/i);

    // The code was redeemed by MSAL: the user's refresh token is in their cache partition.
    const partition = await app.app
      .get(TokenCacheStore)
      .get(userCacheKey(stored.identityWeb!.user!.homeAccountId));
    expect(partition).toContain('RefreshToken');
    await page.goto(`${app.baseUrl}/token`);
    await expect(page.textContent('#token-scopes')).resolves.toMatch(/User\.Read/i);
  });

  it('signs out: clears the session and the user cache partition, then asks to sign in again', async () => {
    const store = new session.MemoryStore();
    const app = await start(store);
    const page = await newPage();
    expect((await signInWithPage(page, app.baseUrl, alice, { startAt: '/profile' })).url).toBe(
      `${app.baseUrl}/profile`,
    );
    const [signedIn] = await signedInSessions(store);
    const homeAccountId = signedIn.identityWeb!.user!.homeAccountId;
    const cache = app.app.get(TokenCacheStore);
    expect(await cache.get(userCacheKey(homeAccountId))).toBeDefined();

    const logoutRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(env.emulator.baseUrl)) logoutRequests.push(r.url());
    });
    await page.goto(`${app.baseUrl}/account/signout`);
    await page.waitForURL(`${app.baseUrl}/`);
    const endSession = logoutRequests
      .map((u) => new URL(u))
      .find((u) => u.searchParams.has('post_logout_redirect_uri'));
    expect(endSession?.searchParams.get('post_logout_redirect_uri')).toBe(
      `${app.baseUrl}/signout-callback-oidc`,
    );

    expect(await signedInSessions(store)).toHaveLength(0);
    expect(await cache.get(userCacheKey(homeAccountId))).toBeUndefined();
    expect((await page.context().cookies(app.baseUrl)).find((c) => c.name === 'iw.sid')).toBeUndefined();

    await page.goto(`${app.baseUrl}/profile`);
    expect(originOf(page.url())).toBe(env.emulator.baseUrl);
    await expect(page.locator('input[name=password]').count()).resolves.toBe(1);
  });

  it('signs out even when the token cache store is down (regression: 503 and the user stayed signed in)', async () => {
    const store = new session.MemoryStore();
    const cache = new RemoveFailsStore();
    const app = await start(store, cache);
    const page = await newPage();
    expect((await signInWithPage(page, app.baseUrl, alice, { startAt: '/profile' })).url).toBe(
      `${app.baseUrl}/profile`,
    );
    expect(await signedInSessions(store)).toHaveLength(1);
    expect(cache.partitions.size).toBeGreaterThan(0);

    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const endSession: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).searchParams.has('post_logout_redirect_uri')) endSession.push(r.url());
      });
      await page.goto(`${app.baseUrl}/account/signout`);
      await page.waitForURL(`${app.baseUrl}/`);
      expect(endSession.map((u) => originOf(u))).toEqual([env.emulator.baseUrl]);
      expect(cache.removals).toBeGreaterThan(0);
      expect(await signedInSessions(store)).toHaveLength(0);
      expect((await page.context().cookies(app.baseUrl)).find((c) => c.name === 'iw.sid')).toBeUndefined();

      const logged = warnings.mock.calls.map((call) => String(call[0]));
      expect(logged).toContainEqual(
        expect.stringMatching(
          /^Sign-out could not remove 1 of 1 token cache partition\(s\) \(cache_unavailable\)/,
        ),
      );
      expect(logged.join('\n')).not.toMatch(/eyJ|RefreshToken|ECONNREFUSED|secret/i);
    } finally {
      warnings.mockRestore();
    }

    await page.goto(`${app.baseUrl}/profile`);
    expect(originOf(page.url())).toBe(env.emulator.baseUrl);
  });

  it('after a restart with an empty token cache, a token request challenges and SSO brings the user back', async () => {
    const store = new session.MemoryStore();
    const first = await start(store);
    const page = await newPage();
    expect((await signInWithPage(page, first.baseUrl, alice, { startAt: '/token' })).url).toBe(
      `${first.baseUrl}/token`,
    );
    await expect(page.textContent('#token-scopes')).resolves.toMatch(/User\.Read/i);
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // A new instance: same session store and secret, empty token cache. The cookie is per host,
    // so the browser's session is still valid there.
    const second = await start(store);
    const visited: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) visited.push(request.url());
    });
    await page.goto(`${second.baseUrl}/token`);
    await page.waitForURL(`${second.baseUrl}/token`);
    await expect(page.textContent('#token-scopes')).resolves.toMatch(/User\.Read/i);

    const challenge = visited.map((u) => new URL(u)).find((u) => u.pathname === '/account/challenge');
    expect(challenge?.searchParams.get('returnUrl')).toBe('/token');
    expect(challenge?.searchParams.get('scope')).toBe(
      [...PAGE_SCOPES, 'openid', 'profile', 'offline_access'].join(' '),
    );
    expect(visited.some((u) => u.startsWith(env.emulator.baseUrl))).toBe(true);
  });
});
