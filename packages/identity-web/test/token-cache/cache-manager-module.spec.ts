import { randomBytes } from 'node:crypto';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Test, type TestingModule } from '@nestjs/testing';
import { createClient, createKeyv } from '@keyv/redis';
import type { Cache } from 'cache-manager';
import { IdentityWebModule } from '../../src/identity-web.module';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { TokenCacheStore } from '../../src/token-cache/token-cache.store';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

describe("the app's own @nestjs/cache-manager CACHE_MANAGER as the token cache", () => {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  let moduleRef: TestingModule;
  const redis = createClient({ url: REDIS_URL });

  beforeAll(async () => {
    await redis.connect();
    moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.register({
          isGlobal: true,
          // Keyv's CommonJS and ESM declarations differ in private fields only: the value is the same.
          stores: [createKeyv(REDIS_URL, { throwOnErrors: true })] as never,
        }),
        IdentityWebModule.forRootAsync({
          inject: [CACHE_MANAGER],
          useFactory: (cache: Cache) => ({
            AzureAd: {
              Instance: 'https://login.microsoftonline.com/',
              TenantId: 'contoso.onmicrosoft.com',
              ClientId: CLIENT_ID,
            },
            IdentityWeb: {
              Session: { Secret: randomBytes(32).toString('hex') },
              TokenCache: {
                Store: cache,
                KeyPrefix: prefix,
                EncryptionKeys: [{ Id: 'k1', Key: randomBytes(32).toString('base64') }],
              },
            },
          }),
        }),
      ],
    }).compile();
  });

  afterAll(async () => {
    await moduleRef.close();
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `*${prefix}:*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
    redis.destroy();
  });

  it('keeps partitions in it, namespaced by client id and encrypted', async () => {
    const store = moduleRef.get(TokenCacheStore);
    expect(store).toBeInstanceOf(DistributedTokenCacheStore);
    await store.set('user:uid.utid', '{"Account":{},"RefreshToken":{"rt":{"secret":"refresh-secret"}}}');
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `*${prefix}:*`, COUNT: 100 })) keys.push(...batch);
    expect(keys).toEqual([expect.stringMatching(new RegExp(`${prefix}:${CLIENT_ID}:user:uid\\.utid$`))]);
    const value = (await redis.get(keys[0]))!;
    expect(value).toContain('e1.k1.');
    expect(value).not.toContain('refresh-secret');
    expect(await moduleRef.get(CACHE_MANAGER).get(keys[0])).toMatch(/^e1\.k1\./);
  });
});
