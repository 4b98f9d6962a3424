import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createClient } from '@keyv/redis';
import { Client } from 'pg';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import type { TestUser } from 'entra-emulator/testing';
import { ChallengeUserException } from '../../src/errors';
import type { SignedInUser } from '../../src/token-acquisition/signed-in-user';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { TokenCacheHealthIndicator } from '../../src/token-cache/token-cache-health.indicator';
import { appPartitionKey, userCacheKey } from '../../src/token-cache/partition-keys';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import {
  createTokenAcquisition,
  type TokenAcquisitionFixture,
} from '../token-acquisition/support/token-acquisition.fixture';

const TODO = 'api://todo-api/access_as_user';
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;
const { alice, bob } = DEFAULT_USERS;
const REDIS_URL = 'redis://127.0.0.1:6379';
const POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const KEY = { id: 'k1', key: randomBytes(32).toString('base64') };

/** What a test reads of the store's raw contents: every key and value under this run's prefix. */
interface RawStore {
  entries(): Promise<Array<{ key: string; value: string; ttlSeconds: number | undefined }>>;
  /** Writes a value as Keyv would, already expired (PostgreSQL keeps such rows until removed). */
  putExpired?(key: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

interface Variant {
  name: string;
  tokenCache: (prefix: string) => Record<string, unknown>;
  raw?: (prefix: string) => Promise<RawStore>;
  /** Rows stay past their expiry until something removes them (Keyv's PostgreSQL table). */
  keepsExpiredRows?: true;
}

const TABLE = `iw_test_${randomBytes(4).toString('hex')}`;

const VARIANTS: Variant[] = [
  { name: 'memory', tokenCache: () => ({}) },
  {
    name: 'Redis',
    tokenCache: (prefix) => ({ Redis: { ConnectionString: REDIS_URL }, KeyPrefix: prefix }),
    raw: async (prefix) => {
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      return {
        entries: async () => {
          const keys: string[] = [];
          for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 }))
            keys.push(...batch);
          return Promise.all(
            keys.map(async (key) => {
              const ttl = await redis.pTTL(key);
              return {
                key,
                value: (await redis.get(key)) ?? '',
                ttlSeconds: ttl < 0 ? undefined : ttl / 1000,
              };
            }),
          );
        },
        copy: async (from, to) => {
          await redis.set(to, (await redis.get(from))!);
        },
        close: async () => {
          const keys: string[] = [];
          for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 }))
            keys.push(...batch);
          if (keys.length) await redis.del(keys);
          redis.destroy();
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    keepsExpiredRows: true,
    tokenCache: (prefix) => ({
      Postgres: { ConnectionString: POSTGRES_URL, Table: TABLE },
      KeyPrefix: prefix,
    }),
    raw: async (prefix) => {
      const pg = new Client({ connectionString: POSTGRES_URL });
      await pg.connect();
      return {
        entries: async () => {
          const { rows } = await pg.query<{ key: string; value: string }>(
            `SELECT key, value FROM ${TABLE} WHERE key LIKE $1`,
            [`${prefix}:%`],
          );
          return rows.map(({ key, value }) => {
            const expires = (JSON.parse(value) as { expires?: number }).expires;
            return { key, value, ttlSeconds: expires ? (expires - Date.now()) / 1000 : undefined };
          });
        },
        putExpired: async (key) => {
          await pg.query(`INSERT INTO ${TABLE} (key, value) VALUES ($1, $2)`, [
            key,
            JSON.stringify({ value: 'z1.AAAA', expires: Date.now() - 1000 }),
          ]);
        },
        copy: async (from, to) => {
          await pg.query(
            `INSERT INTO ${TABLE} (key, value) SELECT $2, value FROM ${TABLE} WHERE key = $1
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
            [from, to],
          );
        },
        close: async () => {
          await pg.query(`DROP TABLE IF EXISTS ${TABLE}`);
          await pg.end();
        },
      };
    },
  },
];

describe.each(VARIANTS)('the token cache over $name', (variant) => {
  let emulator: RunningEmulator;
  let raw: RawStore | undefined;
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  const instances: TokenAcquisitionFixture[] = [];

  async function instance(more: Record<string, unknown> = {}): Promise<TokenAcquisitionFixture> {
    const fixture = await createTokenAcquisition(emulator, {
      tokenCache: { ...variant.tokenCache(prefix), EncryptionKeys: [KEY], ...more },
    });
    instances.push(fixture);
    if (fixture.store instanceof DistributedTokenCacheStore) await fixture.store.ready;
    return fixture;
  }

  async function signedIn(tokens: TokenAcquisitionFixture, who: TestUser = alice): Promise<SignedInUser> {
    return (await signIn(tokens, webApp.clientId, who, { scopes: [...OIDC, TODO] })).user;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
    raw = await variant.raw?.(prefix);
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.module.close()));
    await raw?.close();
    await emulator.close();
  });
  beforeEach(() => emulator.control.reset());

  it('stores, reads and removes a partition; a missing one is undefined; reports itself up', async () => {
    const { store, module } = await instance();
    expect(module.get(TokenCacheHealthIndicator).check()).toEqual({
      tokenCache: expect.objectContaining({ status: 'up', store: variant.raw ? 'distributed' : 'memory' }),
    });
    await store.set('user:a.b', '{"Account":{}}');
    expect(await store.get('user:a.b')).toBe('{"Account":{}}');
    await store.remove('user:a.b');
    expect(await store.get('user:a.b')).toBeUndefined();
    expect(await store.get('user:never')).toBeUndefined();
  });

  it('serves the token cached at sign-in, and forgets the user on removeUser', async () => {
    const tokens = await instance();
    const user = await signedIn(tokens);
    emulator.control.resetCounters();
    const first = await tokens.service.getAccessTokenForUser([TODO], { user });
    expect(first.accessToken).toBeTruthy();
    expect(emulator.control.counters().endpoints.token ?? 0).toBe(0);
    await tokens.service.removeUser(user);
    const error = await tokens.service.getAccessTokenForUser([TODO], { user }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeUserException);
  });

  if (!variant.raw) return;

  it('lets another instance use the tokens without asking the identity provider', async () => {
    const a = await instance();
    const b = await instance();
    const user = await signedIn(a);
    emulator.control.resetCounters();
    const onB = await b.service.getAccessTokenForUser([TODO], { user });
    const onA = await a.service.getAccessTokenForUser([TODO], { user });
    expect(onB.accessToken).toBe(onA.accessToken);
    expect(emulator.control.counters().endpoints.token ?? 0).toBe(0);
  });

  it('keys partitions by prefix, client id and kind, and gives each kind its lifetime', async () => {
    const tokens = await instance();
    const user = await signedIn(tokens);
    await tokens.service.getAccessTokenForApp('api://todo-api/.default');
    const entries = await raw!.entries();
    const ns = `${prefix}:${webApp.clientId.toLowerCase()}`;
    const userEntry = entries.find((e) => e.key === `${ns}:${userCacheKey(user.homeAccountId)}`);
    const appEntry = entries.find(
      (e) => e.key === `${ns}:${appPartitionKey(webApp.clientId, emulator.tenantId)}`,
    );
    expect(userEntry).toBeDefined();
    expect(appEntry).toBeDefined();
    // A user partition outlives the 14-day session; an app partition lives as long as its token (1 h here).
    expect(userEntry!.ttlSeconds).toBeGreaterThanOrEqual(14 * 86_400);
    expect(appEntry!.ttlSeconds).toBeGreaterThan(3000);
    expect(appEntry!.ttlSeconds).toBeLessThanOrEqual(3600 + 120);
  });

  it('keeps no token, refresh token or e-mail in any stored value', async () => {
    const tokens = await instance();
    const user = await signedIn(tokens, bob);
    const token = await tokens.service.getAccessTokenForUser([TODO], { user });
    const partition = (await tokens.store.get(userCacheKey(user.homeAccountId)))!;
    const refreshToken = Object.values(
      (JSON.parse(partition) as { RefreshToken: Record<string, { secret: string }> }).RefreshToken,
    )[0].secret;
    const values = (await raw!.entries()).map((e) => e.value).join('\n');
    expect(values.length).toBeGreaterThan(0);
    for (const secret of [token.accessToken, refreshToken, bob.username, token.accessToken.split('.')[1]]) {
      expect(values).not.toContain(secret);
    }
  });

  it("refuses a value copied under another user's key: a miss and one warning", async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const tokens = await instance({ L1Enabled: false });
      const victim = await signedIn(tokens, alice);
      const attacker = await signedIn(tokens, bob);
      const ns = `${prefix}:${webApp.clientId.toLowerCase()}`;
      await raw!.copy(
        `${ns}:${userCacheKey(victim.homeAccountId)}`,
        `${ns}:${userCacheKey(attacker.homeAccountId)}`,
      );
      for (let i = 0; i < 3; i++) {
        const error = await tokens.service
          .getAccessTokenForUser([TODO], { user: attacker })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChallengeUserException);
      }
      const warnings = warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes('does not decrypt'));
      expect(warnings).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  if (!variant.keepsExpiredRows) return;

  it('removes rows past their expiry that nobody reads', async () => {
    const tokens = await instance();
    const ns = `${prefix}:${webApp.clientId.toLowerCase()}`;
    await raw!.putExpired!(`${ns}:obo:expired`);
    await (tokens.store as DistributedTokenCacheStore).maintain();
    const keys = (await raw!.entries()).map((e) => e.key);
    expect(keys).not.toContain(`${ns}:obo:expired`);
  });
});
