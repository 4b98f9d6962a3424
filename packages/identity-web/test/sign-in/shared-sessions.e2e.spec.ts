import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { authorizeOverHttp, navigate } from 'entra-emulator/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IdentityWebModule, type IdentityWebModuleOptions } from 'nest-identity-web';
import { Client } from 'pg';
import { CookieJar } from 'tough-cookie';
import { startSignInTestApp, type SignInTestApp } from './sign-in-test.app';

const REDIS_URL = 'redis://127.0.0.1:6379';
const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;
const SECRET = 'a-shared-session-secret-of-32-characters!!';
const KEY = { id: 'k1', key: randomBytes(32).toString('base64') };

/** Every key under `prefix` in the shared Redis, with its value. */
async function redisEntries(prefix: string): Promise<Map<string, string>> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const entries = new Map<string, string>();
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) {
    for (const key of batch) entries.set(key, (await redis.get(key)) ?? '');
  }
  if (entries.size > 0 && prefix.startsWith('iwtest-')) await redis.del([...entries.keys()]);
  redis.destroy();
  return entries;
}

async function postgresRows(sql: string): Promise<string[]> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows.map((row) => JSON.stringify(row));
  } finally {
    await client.end();
  }
}

type Store = 'Redis' | 'Postgres';

describe.each<[Store]>([['Redis'], ['Postgres']])(
  'two instances sharing sessions and tokens in %s, from configuration',
  (kind) => {
    const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
    const table = `iw_proxy9_${randomBytes(4).toString('hex')}`;
    let emulator: RunningEmulator;
    let a: SignInTestApp;
    let b: SignInTestApp;

    function options(): IdentityWebModuleOptions {
      const store =
        kind === 'Redis'
          ? { redis: { connectionString: REDIS_URL } }
          : { postgres: { connectionString: POSTGRES_URL, table: `${table}_tokens` } };
      return {
        azureAd: {
          instance: `${emulator.baseUrl}/`,
          tenantId: emulator.tenantId,
          clientId: webApp.clientId,
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: webApp.clientSecret }],
          // Both instances answer at one public address, as behind a proxy.
          redirectUri: 'http://localhost/signin-oidc',
        },
        session: {
          secret: SECRET,
          ...(kind === 'Postgres'
            ? { postgres: { connectionString: POSTGRES_URL, table: `${table}_sessions` } }
            : {}),
        },
        // Sessions default to the token cache's store when none of their own is set (Redis case).
        tokenCache: { ...store, keyPrefix: prefix, encryptionKeys: [KEY] },
      } as unknown as IdentityWebModuleOptions;
    }

    beforeAll(async () => {
      emulator = await startEmulator({ port: 0 });
      a = await startSignInTestApp(options());
      b = await startSignInTestApp(options());
    }, 60_000);

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await emulator?.close();
      if (kind === 'Redis') await redisEntries(prefix);
      else await postgresRows(`DROP TABLE IF EXISTS ${table}_sessions, ${table}_tokens`);
    });

    async function stored(): Promise<string[]> {
      if (kind === 'Redis') {
        const redis = createClient({ url: REDIS_URL });
        await redis.connect();
        const values: string[] = [];
        for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) {
          for (const key of batch) values.push(`${key} ${(await redis.get(key)) ?? ''}`);
        }
        redis.destroy();
        return values;
      }
      return [
        ...(await postgresRows(`SELECT * FROM ${table}_sessions`)),
        ...(await postgresRows(`SELECT * FROM ${table}_tokens`)),
      ];
    }

    const html = { accept: 'text/html' };

    it('a sign-in started on A completes on B; both know the user; nothing readable in the store; sign-out on A ends it everywhere', async () => {
      const jar = new CookieJar();
      // Cookies are per host, not per port: the jar sends A's session cookie to B, as one public origin would.
      const start = await navigate(
        `${a.baseUrl}/account/signin?returnUrl=${encodeURIComponent('/profile?tab=2')}`,
        { jar },
      );
      expect(start.status).toBe(302);
      const state = new URL(start.location!).searchParams.get('state')!;
      const answer = await authorizeOverHttp(start.location!, alice, { jar });
      const callback = new URL(`${answer.url.pathname}${answer.url.search}`, b.baseUrl);
      const back = await navigate(callback, { jar });
      expect({ status: back.status, location: back.location }).toEqual({
        status: 302,
        location: '/profile?tab=2',
      });

      for (const app of [a, b]) {
        const profile = await navigate(`${app.baseUrl}/profile?tab=2`, { jar, headers: html });
        expect(profile.status).toBe(200);
        expect(profile.body).toContain(alice.displayName);
      }

      const values = await stored();
      expect(values.some((v) => v.includes(':session:') || v.includes('"iw"'))).toBe(true);
      expect(values.some((v) => v.includes(':user:') || v.includes('user:'))).toBe(true);
      for (const secret of [alice.username, alice.displayName, alice.username.split('@')[0], state]) {
        expect(values.filter((v) => v.includes(secret))).toEqual([]);
      }

      const signOut = await navigate(`${a.baseUrl}/account/signout`, { jar, headers: html });
      expect(signOut.status).toBe(302);
      for (const app of [b, a]) {
        const profile = await navigate(`${app.baseUrl}/profile`, { jar, headers: html });
        expect(profile.status).toBe(302);
        expect(profile.location).toMatch(/\/account\/signin/);
      }
      // The user's key keeps only a removal's tombstone (so no other instance writes it back): no
      // tokens, a few dozen bytes where the partition held kilobytes.
      const userEntries = (await stored()).filter((v) =>
        kind === 'Postgres' ? v.includes('user:') : v.includes(`${prefix}:`) && v.includes(':user:'),
      );
      const before = values.filter((v) => v.includes('user:'));
      expect(Math.min(...before.map((v) => v.length))).toBeGreaterThan(1000);
      for (const entry of userEntries) expect(entry.length).toBeLessThan(400);
    }, 60_000);
  },
);

describe('a shared session store', () => {
  it('refuses to start with a generated session secret, naming the setting', async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      @Module({
        imports: [
          IdentityWebModule.forRoot({
            azureAd: {
              instance: `${emulator.baseUrl}/`,
              tenantId: emulator.tenantId,
              clientId: webApp.clientId,
              clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: webApp.clientSecret }],
            },
            session: { redis: { connectionString: REDIS_URL } },
          } as unknown as IdentityWebModuleOptions),
        ],
      })
      class RefusedModule {}
      await expect(NestFactory.create(RefusedModule, { logger: false, abortOnError: false })).rejects.toThrow(
        /IdentityWeb:Session:Secret is not set, but sessions are kept in a shared store/,
      );
    } finally {
      await emulator.close();
    }
  });
});
