import {
  DEFAULT_APPS,
  DEFAULT_USERS,
  SECOND_TENANT_ID,
  ensureKeyMaterial,
  type RunningEmulator,
} from 'entra-emulator';
import {
  answerEmulatorPages,
  launchChromium,
  newTestContext,
  startTestEmulator,
} from 'entra-emulator/testing';
import session from 'express-session';
import {
  SignJWT,
  decodeJwt,
  decodeProtectedHeader,
  importPKCS8,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import type { Browser, BrowserContext } from 'playwright-core';
import { signedInSessions } from './session-store';
import { startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

const alice = DEFAULT_USERS.alice;

/** A token cache store that remembers every partition written, so a test can see nothing was. */
class RecordingTokenCacheStore {
  readonly partitions = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.partitions.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.partitions.set(key, value);
  }
  async remove(key: string): Promise<void> {
    this.partitions.delete(key);
  }
}

type Tamper = (idToken: string) => Promise<string>;

/**
 * The identity provider's real code-redemption answer reaches the app with its `id_token`
 * rewritten: the app's own `fetch` (MSAL's network client) is wrapped, everything else is real —
 * the emulator, the browser, the callback route, MSAL and the ID token validator.
 */
interface InterceptControl {
  tamper?: Tamper;
  /** Drops `client_info` from the answer, as an identity provider that does not send it would. */
  dropClientInfo?: boolean;
  restore(): void;
}

function interceptTokenResponses(tokenEndpointPrefix: string): InterceptControl {
  const original = globalThis.fetch;
  const control: InterceptControl = { restore: () => (globalThis.fetch = original) };
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init?.body === 'string' ? init.body : '';
    const tamper = control.tamper;
    if (!tamper || !url.startsWith(tokenEndpointPrefix) || !url.includes('/oauth2/v2.0/token'))
      return response;
    if (new URLSearchParams(body).get('grant_type') !== 'authorization_code') return response;
    const json = (await response.json()) as { id_token?: string; client_info?: string };
    if (json.id_token) json.id_token = await tamper(json.id_token);
    if (control.dropClientInfo) delete json.client_info;
    return new Response(JSON.stringify(json), {
      status: response.status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  };
  return control;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('a tampered ID token in the real callback is refused: no session user, no cache partition', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let app: SignInTestApp;
  let sessions: session.MemoryStore;
  let tokenCache: RecordingTokenCacheStore;
  let intercept: ReturnType<typeof interceptTokenResponses>;
  let signingKey: CryptoKey;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    [emulator, browser] = await Promise.all([startTestEmulator({ controlApi: true }), launchChromium()]);
    // The emulator's own signing key: re-signed tokens differ only in what each case changes.
    signingKey = await importPKCS8((await ensureKeyMaterial()).signingKeyPem, 'RS256');
    sessions = new session.MemoryStore();
    tokenCache = new RecordingTokenCacheStore();
    app = await startSignInTestApp({
      ...testOptions(emulator, DEFAULT_APPS.webApp, sessions),
      tokenCache: { store: tokenCache },
    });
    intercept = interceptTokenResponses(emulator.baseUrl);
  });

  beforeEach(async () => {
    await new Promise<void>((resolve) => sessions.clear(() => resolve()));
    tokenCache.partitions.clear();
    context = await newTestContext(browser);
  });

  afterEach(async () => {
    intercept.tamper = undefined;
    intercept.dropClientInfo = undefined;
    await context?.close();
    context = undefined;
  });

  afterAll(async () => {
    intercept?.restore();
    await app?.close();
    await browser?.close();
    await emulator?.close();
  });

  /** Re-signs the token with the emulator's key (same `kid`) after `change` edits its claims. */
  function resigned(change: (claims: JWTPayload) => JWTPayload): Tamper {
    return async (idToken) => {
      const header = decodeProtectedHeader(idToken);
      return new SignJWT(change(decodeJwt(idToken)))
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: header.kid })
        .sign(signingKey);
    };
  }

  async function signInThroughTheCallback(): Promise<{ status?: number; title: string; message: string }> {
    const page = await context!.newPage();
    let status: number | undefined;
    page.on('response', (r) => {
      if (r.url().startsWith(`${app.baseUrl}/signin-oidc`)) status = r.status();
    });
    await page.goto(`${app.baseUrl}/profile`);
    await answerEmulatorPages(page, alice);
    await page.waitForLoadState();
    const message = (await page.locator('#message').count()) > 0 ? await page.textContent('#message') : '';
    return { status, title: await page.title(), message: message ?? '' };
  }

  const now = () => Math.floor(Date.now() / 1000);

  it('signs in when the token is re-signed unchanged (the harness changes nothing else)', async () => {
    intercept.tamper = resigned((claims) => claims);
    const result = await signInThroughTheCallback();
    expect(result.title).toBe('Profile');
    expect(await signedInSessions(sessions)).toHaveLength(1);
    expect(tokenCache.partitions.size).toBe(1);
  });

  it.each<[string, () => Tamper]>([
    [
      'a forged signature (claims changed after signing)',
      () => async (idToken: string) => {
        const [header, , signature] = idToken.split('.');
        return `${header}.${base64url({ ...decodeJwt(idToken), name: 'Mallory' })}.${signature}`;
      },
    ],
    [
      'alg: none',
      () => async (idToken: string) => `${base64url({ alg: 'none', typ: 'JWT' })}.${idToken.split('.')[1]}.`,
    ],
    ['a wrong audience', () => resigned((c) => ({ ...c, aud: DEFAULT_APPS.todoApi.clientId }))],
    ['a wrong issuer', () => resigned((c) => ({ ...c, iss: `https://evil.example/${String(c.tid)}/v2.0` }))],
    [
      'an expired token',
      () => resigned((c) => ({ ...c, iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })),
    ],
    [
      'a token of another tenant',
      () =>
        resigned((c) => ({
          ...c,
          tid: SECOND_TENANT_ID,
          iss: String(c.iss).replace(String(c.tid), SECOND_TENANT_ID),
        })),
    ],
    ['a token without sub (OpenID Connect requires it)', () => resigned(({ sub: _sub, ...c }) => c)],
    [
      'a token whose tid is not the tenant of its issuer',
      () => resigned((c) => ({ ...c, tid: SECOND_TENANT_ID })),
    ],
    [
      'a token issued in the future (iat beyond the clock skew)',
      () => resigned((c) => ({ ...c, iat: now() + 3600, nbf: undefined, exp: now() + 7200 })),
    ],
  ])('refuses %s', async (_name, make) => {
    intercept.tamper = make();
    const result = await signInThroughTheCallback();
    expect(result).toMatchObject({ status: 400, title: 'Sign-in failed' });
    expect(result.message).toMatch(/refused/i);
    expect(await signedInSessions(sessions)).toHaveLength(0);
    expect([...tokenCache.partitions.keys()]).toEqual([]);
  });

  it('refuses a token without oid and sub when the answer has no client_info: no user id, no shared partition', async () => {
    intercept.tamper = resigned(({ sub: _sub, oid: _oid, ...c }) => c);
    intercept.dropClientInfo = true;
    const result = await signInThroughTheCallback();
    expect(result).toMatchObject({ status: 400, title: 'Sign-in failed' });
    expect(result.message).toMatch(/refused/i);
    expect(await signedInSessions(sessions)).toHaveLength(0);
    expect([...tokenCache.partitions.keys()]).toEqual([]);
  });

  it('signs in without client_info when sub is there: the partition is the subject, not empty', async () => {
    intercept.tamper = resigned((c) => c);
    intercept.dropClientInfo = true;
    const result = await signInThroughTheCallback();
    expect(result.title).toBe('Profile');
    const [user] = (await signedInSessions(sessions)).map((s) => s.identityWeb!.user!);
    expect(user.homeAccountId.length).toBeGreaterThan(0);
    expect(tokenCache.partitions.size).toBe(1);
  });
});

describe('a multi-tenant app (organizations): the tenant in the issuer must be the token tid', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let app: SignInTestApp;
  let sessions: session.MemoryStore;
  let intercept: ReturnType<typeof interceptTokenResponses>;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    [emulator, browser] = await Promise.all([startTestEmulator({ controlApi: true }), launchChromium()]);
    signingKey = await importPKCS8((await ensureKeyMaterial()).signingKeyPem, 'RS256');
    sessions = new session.MemoryStore();
    app = await startSignInTestApp(
      testOptions(emulator, DEFAULT_APPS.webApp, sessions, { tenantId: 'organizations' }),
    );
    intercept = interceptTokenResponses(emulator.baseUrl);
  });

  afterAll(async () => {
    intercept?.restore();
    await app?.close();
    await browser?.close();
    await emulator?.close();
  });

  async function signIn(): Promise<{ title: string; status?: number }> {
    const context = await newTestContext(browser);
    try {
      const page = await context.newPage();
      let status: number | undefined;
      page.on('response', (r) => {
        if (r.url().startsWith(`${app.baseUrl}/signin-oidc`)) status = r.status();
      });
      await page.goto(`${app.baseUrl}/profile`);
      await answerEmulatorPages(page, alice);
      await page.waitForLoadState();
      return { title: await page.title(), status };
    } finally {
      await context.close();
    }
  }

  it('signs in with an untouched token, and refuses one whose tid names another tenant', async () => {
    intercept.tamper = undefined;
    expect(await signIn()).toMatchObject({ title: 'Profile', status: 302 });
    intercept.tamper = async (idToken) => {
      const header = decodeProtectedHeader(idToken);
      return new SignJWT({ ...decodeJwt(idToken), tid: SECOND_TENANT_ID })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: header.kid })
        .sign(signingKey);
    };
    expect(await signIn()).toMatchObject({ title: 'Sign-in failed', status: 400 });
  });
});
