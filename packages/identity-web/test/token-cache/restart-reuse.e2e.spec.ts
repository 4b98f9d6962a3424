import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import { useSharedRedis } from './support/shared-redis';

const GRAPH = ['https://graph.microsoft.com/User.Read'];
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;

describe('a token still valid in Redis is used without a token request', () => {
  const shared = useSharedRedis();
  const instance = (l1Enabled: boolean) => shared.instance({ l1Enabled });
  const tokenRequests = () => shared.tokenRequests();

  beforeAll(() => {
    shared.emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
  });

  it('a fresh instance over the same Redis serves the token of a sign-in round trip', async () => {
    const first = await instance(true);
    const { user } = await signIn(first, webApp.clientId, alice, { scopes: [...OIDC, ...GRAPH] });
    const onFirst = await first.service.getAccessTokenForUser(GRAPH, { user });
    shared.emulator.control.resetCounters();
    const restarted = await instance(true);
    const onRestarted = await restarted.service.getAccessTokenForUser(GRAPH, { user });
    expect(onRestarted.accessToken).toBe(onFirst.accessToken);
    expect(tokenRequests()).toBe(0);
  }, 60_000);

  it('with L1 off, repeated calls read the token from Redis without a token request', async () => {
    const noL1 = await instance(false);
    const { user } = await signIn(noL1, webApp.clientId, alice, { scopes: [...OIDC, ...GRAPH] });
    shared.emulator.control.resetCounters();
    const tokens = new Set<string | undefined>();
    for (let i = 0; i < 3; i++)
      tokens.add((await noL1.service.getAccessTokenForUser(GRAPH, { user })).accessToken);
    expect(tokens.size).toBe(1);
    expect(tokenRequests()).toBe(0);
  }, 60_000);
});
