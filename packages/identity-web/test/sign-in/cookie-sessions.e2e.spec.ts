import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@keyv/redis';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { authorizeOverHttp, azureAdSettings, navigate } from 'entra-emulator/testing';
import express from 'express';
import { IdentityWebModule, type IdentityWebModuleOptions } from 'nest-identity-web';
import { createIdentityWeb, type IdentityWebExpress } from 'nest-identity-web/express';
import { CookieJar } from 'tough-cookie';
import { startSignInTestApp, type SignInTestApp } from './sign-in-test.app';

const REDIS_URL = 'redis://127.0.0.1:6379';
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;
const SECRET = 'a-shared-session-secret-of-32-characters!!';
const KEY = { id: 'k1', key: randomBytes(32).toString('base64') };
const html = { accept: 'text/html' };

/** Every key under `prefix` in the shared Redis; removed afterwards when `remove`. */
async function redisKeys(prefix: string, remove = false): Promise<string[]> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const keys: string[] = [];
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
  if (remove && keys.length > 0) await redis.del(keys);
  redis.destroy();
  return keys;
}

/** Signs alice in: the sign-in starts on `first` and its callback lands on `second`. */
async function signInAcross(first: string, second: string, jar: CookieJar): Promise<string> {
  const start = await navigate(`${first}/account/signin?returnUrl=${encodeURIComponent('/profile?tab=2')}`, {
    jar,
  });
  expect(start.status).toBe(302);
  const state = new URL(start.location!).searchParams.get('state')!;
  const answer = await authorizeOverHttp(start.location!, alice, { jar });
  const back = await navigate(new URL(`${answer.url.pathname}${answer.url.search}`, second), { jar });
  expect({ status: back.status, location: back.location }).toEqual({
    status: 302,
    location: '/profile?tab=2',
  });
  return state;
}

describe('sessions kept in the cookie (IdentityWeb:Session:Mode "cookie"), tokens in Redis, two instances', () => {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  let emulator: RunningEmulator;
  let a: SignInTestApp;
  let b: SignInTestApp;

  const options = (): IdentityWebModuleOptions =>
    ({
      // Both instances answer at one public address, as behind a proxy.
      AzureAd: { ...azureAdSettings(emulator, webApp), RedirectUri: 'http://localhost/signin-oidc' },
      IdentityWeb: {
        Session: { Mode: 'cookie', Secret: SECRET },
        TokenCache: { Redis: { ConnectionString: REDIS_URL }, KeyPrefix: prefix, EncryptionKeys: [KEY] },
      },
    }) as unknown as IdentityWebModuleOptions;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
    a = await startSignInTestApp(options());
    b = await startSignInTestApp(options());
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emulator?.close();
    await redisKeys(prefix, true);
  });

  it('signs in across instances with no session store, survives restarts, and signs out everywhere', async () => {
    const jar = new CookieJar();
    const state = await signInAcross(a.baseUrl, b.baseUrl, jar);
    const cookie = (await jar.getCookies(a.baseUrl)).find((c) => c.key === 'iw.sid')!;
    expect({ httpOnly: cookie.httpOnly, sameSite: cookie.sameSite }).toEqual({
      httpOnly: true,
      sameSite: 'lax',
    });
    expect(`${cookie.key}=${cookie.value}`.length).toBeLessThanOrEqual(4000);
    // Sealed: neither the value nor any base64url part of it shows who the user is or the spent state.
    const readable = [
      cookie.value,
      ...cookie.value.split('.').map((p) => Buffer.from(p, 'base64url').toString('latin1')),
    ];
    for (const secret of [alice.username, alice.displayName, state]) {
      expect(readable.filter((part) => part.includes(secret))).toEqual([]);
    }

    for (const app of [a, b]) {
      const profile = await navigate(`${app.baseUrl}/profile?tab=2`, { jar, headers: html });
      expect(profile.status).toBe(200);
      expect(profile.body).toContain(alice.displayName);
    }
    // The page's Graph scope needs consent once: asked on B, answered, back on A.
    const challenge = await navigate(`${b.baseUrl}/token`, { jar, headers: html });
    if (challenge.status === 302) {
      const signIn = await navigate(new URL(challenge.location!, b.baseUrl), { jar });
      const answer = await authorizeOverHttp(signIn.location!, alice, { jar });
      const back = await navigate(new URL(`${answer.url.pathname}${answer.url.search}`, a.baseUrl), { jar });
      expect({ status: back.status, location: back.location }).toEqual({ status: 302, location: '/token' });
    }
    expect((await navigate(`${a.baseUrl}/token`, { jar, headers: html })).status).toBe(200);
    // Tokens are shared through Redis; sessions are nowhere on the server.
    const keys = await redisKeys(prefix);
    expect(keys.some((k) => k.includes(':user:'))).toBe(true);
    expect(keys.filter((k) => k.includes(':session:'))).toEqual([]);

    // Both instances restart: the cookie still opens (same secret), the Graph token comes from Redis
    // (no token request at all).
    await a.close();
    await b.close();
    a = await startSignInTestApp(options());
    b = await startSignInTestApp(options());
    const tokenRequests = async () => (await emulator.control.counters()).endpoints.token ?? 0;
    const before = await tokenRequests();
    for (const app of [a, b, a]) {
      const token = await navigate(`${app.baseUrl}/token`, { jar, headers: html });
      expect(token.status).toBe(200);
    }
    expect((await tokenRequests()) - before).toBe(0);
    const copied = (await jar.getCookies(a.baseUrl)).find((c) => c.key === 'iw.sid')!.value;

    const signOut = await navigate(`${a.baseUrl}/account/signout`, { jar, headers: html });
    expect(signOut.status).toBe(302);
    for (const app of [b, a]) {
      const profile = await navigate(`${app.baseUrl}/profile`, { jar, headers: html });
      expect({ status: profile.status, location: profile.location }).toEqual({
        status: 302,
        location: expect.stringMatching(/\/account\/signin/),
      });
    }
    // A copy of the cookie taken before sign-out still names the user until it expires (as with
    // any cookie session), but the user's tokens are gone: a page needing one sends them to sign in.
    const replay = new CookieJar();
    await replay.setCookie(`iw.sid=${copied}; Path=/`, b.baseUrl);
    expect((await navigate(`${b.baseUrl}/profile`, { jar: replay, headers: html })).status).toBe(200);
    const token = await navigate(`${b.baseUrl}/token`, { jar: replay, headers: html });
    expect({ status: token.status, location: token.location }).toEqual({
      status: 302,
      location: expect.stringMatching(/^\/account\/challenge\?.*reason=no_tokens_found/),
    });
  }, 90_000);
});

describe('session settings refused at start-up', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => (emulator = await startEmulator({ port: 0 })));
  afterAll(() => emulator?.close());

  const start = (session: Record<string, unknown>, tokenCache: Record<string, unknown> = {}) => {
    @Module({
      imports: [
        IdentityWebModule.forRoot({
          AzureAd: azureAdSettings(emulator, webApp),
          IdentityWeb: { Session: session, TokenCache: tokenCache },
        }),
      ],
    })
    class RefusedModule {}
    return NestFactory.create(RefusedModule, { logger: false, abortOnError: false });
  };

  it('refuses Mode "cookie" with a session store, naming both keys', async () => {
    await expect(
      start({ Mode: 'cookie', Secret: SECRET, Redis: { ConnectionString: REDIS_URL } }),
    ).rejects.toThrow(
      /IdentityWeb:Session:Mode is "cookie" \(sessions kept in the cookie itself\), but IdentityWeb:Session:Redis is set too/,
    );
  });

  it('refuses Mode "cookie" with a generated secret when tokens are shared (several instances)', async () => {
    await expect(start({ Mode: 'cookie' }, { Redis: { ConnectionString: REDIS_URL } })).rejects.toThrow(
      /IdentityWeb:Session:Secret is not set, but sessions are kept in the cookie and tokens in a shared store/,
    );
  });
});

describe('nest-identity-web/express with IdentityWeb:Session:Redis', () => {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  let emulator: RunningEmulator;
  const running: Array<{ identity: IdentityWebExpress; server: Server; url: string }> = [];

  async function startExpress(): Promise<string> {
    const identity = createIdentityWeb(
      {
        AzureAd: { ...azureAdSettings(emulator, webApp), RedirectUri: 'http://localhost/signin-oidc' },
        IdentityWeb: {
          Session: { Secret: SECRET, Redis: { ConnectionString: REDIS_URL } },
          TokenCache: { KeyPrefix: prefix },
        },
      },
      { logger: { warn: () => {} } },
    );
    const app = express();
    app.use(identity.middleware(), identity.requireSignIn());
    app.get('/profile', (req, res) => void res.type('html').send(`<p>${identity.user(req)?.name ?? ''}</p>`));
    app.use(identity.errorHandler());
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, () => resolve(s));
    });
    const url = `http://localhost:${(server.address() as AddressInfo).port}`;
    running.push({ identity, server, url });
    return url;
  }

  beforeAll(async () => (emulator = await startEmulator({ port: 0 })));
  afterAll(async () => {
    for (const { identity, server } of running) {
      server.close();
      await identity.close();
    }
    await emulator?.close();
    await redisKeys(prefix, true);
  });

  it('keeps sessions in Redis, so a sign-in started on one app completes on another', async () => {
    const [first, second] = [await startExpress(), await startExpress()];
    const jar = new CookieJar();
    await signInAcross(first, second, jar);
    const profile = await navigate(`${first}/profile?tab=2`, { jar, headers: html });
    expect(profile.status).toBe(200);
    expect(profile.body).toContain(alice.displayName);
    expect((await redisKeys(prefix)).some((k) => k.includes(':session:'))).toBe(true);
  }, 60_000);
});
