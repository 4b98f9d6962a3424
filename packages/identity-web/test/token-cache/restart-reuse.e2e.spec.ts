import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import {
  createTokenAcquisition,
  type TokenAcquisitionFixture,
} from '../token-acquisition/support/token-acquisition.fixture';

const GRAPH = ['https://graph.microsoft.com/User.Read'];
const OIDC = ['openid', 'profile', 'offline_access'];
const REDIS_URL = 'redis://127.0.0.1:6379';
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;

describe('a token still valid in Redis is used without a token request', () => {
  const prefix = `iwtest-${randomBytes(4).toString('hex')}`;
  const encryptionKeys = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
  const tokenCache = (l1Enabled: boolean) => ({
    redis: { connectionString: REDIS_URL },
    keyPrefix: prefix,
    encryptionKeys,
    l1Enabled,
  });
  let emulator: RunningEmulator;
  const fixtures: TokenAcquisitionFixture[] = [];
  const instance = async (l1Enabled: boolean) => {
    const fixture = await createTokenAcquisition(emulator, { tokenCache: tokenCache(l1Enabled) });
    await (fixture.store as DistributedTokenCacheStore).ready;
    fixtures.push(fixture);
    return fixture;
  };
  const tokenRequests = () => emulator.control.counters().endpoints.token ?? 0;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
    emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
  }, 60_000);

  afterAll(async () => {
    for (const fixture of fixtures) await fixture.module.close();
    await emulator?.close();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
    redis.destroy();
  });

  it('a fresh instance over the same Redis serves the token of a sign-in round trip', async () => {
    const first = await instance(true);
    const { user } = await signIn(first, webApp.clientId, alice, { scopes: [...OIDC, ...GRAPH] });
    const onFirst = await first.service.getAccessTokenForUser(GRAPH, { user });
    emulator.control.resetCounters();
    const restarted = await instance(true);
    const onRestarted = await restarted.service.getAccessTokenForUser(GRAPH, { user });
    expect(onRestarted.accessToken).toBe(onFirst.accessToken);
    expect(tokenRequests()).toBe(0);
  }, 60_000);

  it('with L1 off, repeated calls read the token from Redis without a token request', async () => {
    const noL1 = await instance(false);
    const { user } = await signIn(noL1, webApp.clientId, alice, { scopes: [...OIDC, ...GRAPH] });
    emulator.control.resetCounters();
    const tokens = new Set<string | undefined>();
    for (let i = 0; i < 3; i++)
      tokens.add((await noL1.service.getAccessTokenForUser(GRAPH, { user })).accessToken);
    expect(tokens.size).toBe(1);
    expect(tokenRequests()).toBe(0);
  }, 60_000);
});
