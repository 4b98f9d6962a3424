import { DEFAULT_APPS, DEFAULT_USERS, MFA_CODE, type RunningEmulator } from 'entra-emulator';
import type { ChallengeUserException } from '../../src/errors';
import { DistributedTokenCacheStore } from '../../src/token-cache/distributed-token-cache.store';
import { signIn } from '../token-acquisition/support/sign-in.driver';
import type { TokenAcquisitionFixture } from '../token-acquisition/support/token-acquisition.fixture';
import { startInstanceProcess, type InstanceProcess } from './support/instance-process';
import { useSharedRedis } from './support/shared-redis';

const TODO = 'api://todo-api/access_as_user';
const GRAPH = ['https://graph.microsoft.com/User.Read'];
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { amr?: string[] };

describe('two app instances in separate processes sharing Redis', () => {
  const shared = useSharedRedis();
  let emulator: RunningEmulator;
  let a: TokenAcquisitionFixture;
  let b: InstanceProcess;

  beforeAll(async () => {
    emulator = shared.emulator;
    a = await shared.instance();
    b = await startInstanceProcess({
      azureAd: {
        instance: emulator.baseUrl,
        tenantId: emulator.tenantId,
        clientId: webApp.clientId,
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: webApp.clientSecret }],
      },
      tokenCache: shared.tokenCache(),
    });
    shared.stopAfterAll(() => b.stop());
  }, 60_000);

  it('B uses the token A acquired without a token request, and stops serving it once A replaces it (after MFA)', async () => {
    const { user } = await signIn(a, webApp.clientId, alice, { scopes: [...OIDC, TODO] });
    emulator.control.resetCounters();
    const onA = await a.service.getAccessTokenForUser([TODO], { user });
    const onB = await b.token(user, [TODO]);
    expect(onB.accessToken).toBe(onA.accessToken);
    expect(shared.tokenRequests()).toBe(0);

    // B holds a Graph token without MFA; then a policy demands MFA and the user completes it through A.
    emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    const before = await b.token(user, GRAPH);
    expect(claimsOf(before.accessToken!).amr ?? []).not.toContain('mfa');
    emulator.control.setConditionalAccess({ resource: 'https://graph.microsoft.com', requireMfa: true });
    const challenge = (await a.service
      .getAccessTokenForUser(GRAPH, { user, forceRefresh: true })
      .catch((e: unknown) => e)) as ChallengeUserException;
    expect(challenge.claims).toBeTruthy();
    const heardBefore = b.invalidations.length;
    // When A writes the partition (the sign-in's write, the one that publishes the invalidation).
    const storeA = a.store as DistributedTokenCacheStore;
    let writtenAt = 0;
    const write = jest.spyOn(storeA, 'set').mockImplementation(function (
      this: DistributedTokenCacheStore,
      ...args
    ) {
      writtenAt = Date.now();
      return DistributedTokenCacheStore.prototype.set.apply(this, args);
    });
    await signIn(
      a,
      webApp.clientId,
      { ...alice, otp: MFA_CODE },
      {
        scopes: [...OIDC, ...challenge.scopes],
        claims: challenge.claims,
      },
    );
    const signedInAt = Date.now();
    write.mockRestore();
    // B's next calls: the old token until the invalidation arrives, then the MFA one.
    let after = await b.token(user, GRAPH);
    while (!(claimsOf(after.accessToken!).amr ?? []).includes('mfa')) {
      expect(Date.now() - signedInAt).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 2));
      after = await b.token(user, GRAPH);
    }
    const servedMfaAt = Date.now();
    const heard = b.invalidations.slice(heardBefore).find((i) => i.partition?.startsWith('user:'));
    expect(heard).toBeDefined();
    process.stdout.write(
      `invalidation reached B ${heard!.at - writtenAt} ms after A wrote the partition; ` +
        `B served the MFA token ${servedMfaAt - signedInAt} ms after A's sign-in returned\n`,
    );
  }, 60_000);
});
