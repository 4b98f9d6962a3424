import { ChallengeUserException, IdentityWebError } from '../errors';
import { runWithRequestContext } from './request-context';
import { HotTokenIndex } from '../token-cache/hot-token.index';
import { InMemoryTokenCacheStore } from '../token-cache/in-memory-token-cache.store';
import { appPartitionKey, oboPartitionKey, userCacheKey } from '../token-cache/partition-keys';
import {
  seededUser,
  signedInUserOf,
  userPartition,
} from '../../test/token-acquisition/support/msal-partition';
import {
  AUTHORITY,
  b64,
  CLIENT_ID,
  ClockedService,
  FakeIdp,
  fakeIdpOptions,
  fakeTokenAcquisition,
  HOST,
  SCOPE,
  TENANT,
} from '../../test/token-acquisition/support/fake-idp';

describe('TokenAcquisitionService (MSAL over a fake network)', () => {
  let store: InMemoryTokenCacheStore;
  let service: ClockedService;
  let idp: FakeIdp;
  const user = seededUser(1, TENANT, HOST);
  const signedIn = signedInUserOf(user);
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  function seed(expiresOn: number): Promise<void> {
    return store.set(
      userCacheKey(user.homeAccountId),
      userPartition({
        user,
        clientId: CLIENT_ID,
        target: SCOPE,
        accessToken: 'cached-at',
        refreshToken: 'cached-rt',
        expiresOn,
      }),
    );
  }

  let hotIndex: HotTokenIndex;

  beforeEach(() => {
    store = new InMemoryTokenCacheStore();
    idp = new FakeIdp();
    ({ service, hotIndex } = fakeTokenAcquisition(idp, store));
  });

  it('answers a cached token from the partition, then from the hot index without MSAL', async () => {
    await seed(nowSeconds() + 3600);
    const forOperation = jest.spyOn(idp, 'forOperation');
    const first = await service.getAccessTokenForUser([SCOPE], { user: signedIn });
    const second = await service.getAccessTokenForUser([SCOPE.toUpperCase()], { user: signedIn });
    expect(first.accessToken).toBe('cached-at');
    expect(second).toBe(first);
    expect(forOperation).toHaveBeenCalledTimes(1);
    expect(idp.tokenRequests).toHaveLength(0);
    expect(idp.getUrls).toHaveLength(1); // metadata, once
  });

  it('serves a session holding a mixed-case account id from the hot index, and removeUser forgets it', async () => {
    await seed(nowSeconds() + 3600);
    const forOperation = jest.spyOn(idp, 'forOperation');
    const upper = { ...signedIn, homeAccountId: signedIn.homeAccountId.toUpperCase() };
    const first = await service.getAccessTokenForUser([SCOPE], { user: upper });
    expect(await service.getAccessTokenForUser([SCOPE], { user: upper })).toBe(first);
    expect(await service.getAccessTokenForUser([SCOPE], { user: signedIn })).toBe(first);
    expect(forOperation).toHaveBeenCalledTimes(1);
    await service.removeUser(upper);
    expect(hotIndex.size).toBe(0);
    await expect(service.getAccessTokenForUser([SCOPE], { user: signedIn })).rejects.toBeInstanceOf(
      ChallengeUserException,
    );
  });

  it('takes the user from the request context', async () => {
    await seed(nowSeconds() + 3600);
    const token = await runWithRequestContext({ user: signedIn }, () =>
      service.getAccessTokenForUser([SCOPE]),
    );
    expect(token.accessToken).toBe('cached-at');
  });

  it('refuses without a user', async () => {
    await expect(service.getAccessTokenForUser([SCOPE])).rejects.toMatchObject({ code: 'no_user' });
  });

  it('asks the user to sign in when nothing is cached (restart)', async () => {
    const error = await service.getAccessTokenForUser([SCOPE], { user: signedIn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({ msalErrorCode: 'no_tokens_found', scopes: [SCOPE] });
    expect(idp.tokenRequests).toHaveLength(0);
  });

  it('refreshes an expired token once for 1,000 concurrent callers and writes the partition back', async () => {
    await seed(nowSeconds() + 100); // inside the 300 s renewal window
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, () => service.getAccessTokenForUser([SCOPE], { user: signedIn })),
    );
    expect(idp.tokenRequests).toHaveLength(1);
    expect(idp.tokenRequests[0].get('grant_type')).toBe('refresh_token');
    expect(idp.tokenRequests[0].get('refresh_token')).toBe('cached-rt');
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['at-1']));
    const stored = (await store.get(userCacheKey(user.homeAccountId)))!;
    expect(stored).toContain('"secret":"at-1"');
    expect(stored).toContain('"secret":"rt-1"');
  });

  it('goes back to MSAL once the hot index entry reaches the renewal window (frozen clock)', async () => {
    await seed(nowSeconds() + 3600);
    await service.getAccessTokenForUser([SCOPE], { user: signedIn });
    service.clock = Date.now() + (3600 - 299) * 1000;
    const forOperation = jest.spyOn(idp, 'forOperation');
    await service.getAccessTokenForUser([SCOPE], { user: signedIn });
    expect(forOperation).toHaveBeenCalledTimes(1);
  });

  it('bypasses the hot index for forceRefresh and claims, and serves the new token afterwards', async () => {
    await seed(nowSeconds() + 3600);
    await service.getAccessTokenForUser([SCOPE], { user: signedIn });
    const forced = await service.getAccessTokenForUser([SCOPE], { user: signedIn, forceRefresh: true });
    expect(forced.accessToken).toBe('at-1');
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';
    const withClaims = await service.getAccessTokenForUser([SCOPE], { user: signedIn, claims });
    expect(withClaims.accessToken).toBe('at-2');
    expect(JSON.parse(idp.tokenRequests[1].get('claims')!)).toMatchObject(JSON.parse(claims));
    expect((await service.getAccessTokenForUser([SCOPE], { user: signedIn })).accessToken).toBe('at-2');
  });

  it('turns a consent error into a challenge', async () => {
    await seed(nowSeconds() + 3600);
    idp.answer = () => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'AADSTS65001: no consent',
        error_codes: [65001],
        suberror: 'consent_required',
      },
    });
    const error = await service
      .getAccessTokenForUser(['api://other/read'], { user: signedIn })
      .catch((e: unknown) => e as ChallengeUserException);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({ msalErrorCode: 'consent_required', scopes: ['api://other/read'] });
    expect((error as Error).message).not.toContain('cached-rt');
  });

  it('turns an MFA demand into a challenge carrying the claims', async () => {
    await seed(nowSeconds() + 3600);
    const claims = '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}';
    idp.answer = () => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'AADSTS50076: MFA',
        error_codes: [50076],
        suberror: 'basic_action',
        claims,
      },
    });
    await expect(
      service.getAccessTokenForUser(['api://other/read'], { user: signedIn }),
    ).rejects.toMatchObject({
      code: 'challenge_user',
      msalErrorCode: 'basic_action',
      claims,
    });
  });

  describe("a challenge for a request made with a resource's claims carries those claims", () => {
    const resourceClaims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

    it('when the identity provider asks for interaction without naming claims', async () => {
      await seed(nowSeconds() + 3600);
      idp.answer = () => ({
        status: 400,
        body: {
          error: 'interaction_required',
          error_description: 'AADSTS50158: step-up',
          error_codes: [50158],
        },
      });
      await expect(
        service.getAccessTokenForUser([SCOPE], { user: signedIn, claims: resourceClaims }),
      ).rejects.toMatchObject({ code: 'challenge_user', claims: resourceClaims });
    });

    it('when nothing is cached for the user', async () => {
      await expect(
        service.getAccessTokenForUser([SCOPE], { user: signedIn, claims: resourceClaims }),
      ).rejects.toMatchObject({ msalErrorCode: 'no_tokens_found', claims: resourceClaims });
    });

    it("but the identity provider's own claims win", async () => {
      await seed(nowSeconds() + 3600);
      const providerClaims = '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}';
      idp.answer = () => ({
        status: 400,
        body: {
          error: 'invalid_grant',
          suberror: 'basic_action',
          error_codes: [50076],
          claims: providerClaims,
        },
      });
      await expect(
        service.getAccessTokenForUser([SCOPE], { user: signedIn, claims: resourceClaims }),
      ).rejects.toMatchObject({ claims: providerClaims });
    });
  });

  it('turns a plain invalid_grant on refresh (expired refresh token) into a challenge', async () => {
    await seed(nowSeconds() + 100);
    idp.answer = () => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'AADSTS700082: The refresh token has expired due to inactivity.',
        error_codes: [700082],
      },
    });
    const error = await service.getAccessTokenForUser([SCOPE], { user: signedIn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({ msalErrorCode: 'invalid_grant', scopes: [SCOPE] });
    expect((error as Error).message).toContain('AADSTS700082');
    expect((error as Error).message).not.toContain('cached-rt');
  });

  it('keeps a plain invalid_grant on client credentials an idp_error', async () => {
    idp.answer = () => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'AADSTS700082', error_codes: [700082] },
    });
    await expect(service.getAccessTokenForApp('api://todo/.default')).rejects.toMatchObject({
      code: 'idp_error',
    });
  });

  it('answers a claims challenge for an app token: sends the claims, bypassing the cached token', async () => {
    const scope = 'api://todo/.default';
    const first = await service.getAccessTokenForApp(scope);
    const claims = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    const withClaims = await service.getAccessTokenForApp(scope, { claims });
    expect(idp.tokenRequests).toHaveLength(2);
    expect(withClaims.accessToken).not.toBe(first.accessToken);
    expect(JSON.parse(idp.tokenRequests[1].get('claims')!)).toMatchObject(JSON.parse(claims));
    expect((await service.getAccessTokenForApp(scope)).accessToken).toBe(withClaims.accessToken);
    expect(idp.tokenRequests).toHaveLength(2);
  });

  it('getAccessToken serves the user token from the hot index by default, as getAccessTokenForUser does', async () => {
    await seed(nowSeconds() + 3600);
    const first = await service.getAccessToken([SCOPE], { user: signedIn });
    expect(first.accessToken).toBe('cached-at');
    expect(await service.getAccessToken([SCOPE], { user: signedIn, requestAppToken: false })).toBe(first);
    expect(await service.getAccessTokenForUser([SCOPE], { user: signedIn })).toBe(first);
    const refreshed = await service.getAccessToken([SCOPE], {
      user: signedIn,
      acquireTokenOptions: { forceRefresh: true },
    });
    expect(refreshed.accessToken).not.toBe('cached-at');
    expect(idp.tokenRequests.map((form) => form.get('grant_type'))).toEqual(['refresh_token']);
  });

  it('getAccessToken with requestAppToken passes claims, tenant and forceRefresh to the app token request', async () => {
    const scope = 'api://todo/.default';
    const first = await service.getAccessToken([scope], { requestAppToken: true, user: signedIn });
    const claims = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    const withClaims = await service.getAccessToken([scope], {
      requestAppToken: true,
      acquireTokenOptions: { claims },
    });
    const forced = await service.getAccessToken([scope], {
      requestAppToken: true,
      acquireTokenOptions: { forceRefresh: true },
    });
    await service.getAccessToken([scope], {
      requestAppToken: true,
      acquireTokenOptions: { tenant: 'other-tenant' },
    });
    expect(idp.tokenRequests.map((form) => form.get('grant_type'))).toEqual(
      Array(4).fill('client_credentials'),
    );
    expect(JSON.parse(idp.tokenRequests[1].get('claims')!)).toMatchObject(JSON.parse(claims));
    expect(new Set([first.accessToken, withClaims.accessToken, forced.accessToken]).size).toBe(3);
    expect(idp.getUrls.some((url) => url.includes('other-tenant'))).toBe(true);
  });

  it('getAccessToken refuses an app token for other than one "/.default" scope, asking nobody', async () => {
    for (const scopes of [[], ['api://a/.default', 'api://b/.default'], ['api://todo/access_as_user']]) {
      await expect(service.getAccessToken(scopes, { requestAppToken: true })).rejects.toMatchObject({
        name: 'InvalidCallError',
        code: 'invalid_call',
      });
    }
    expect(idp.tokenRequests).toHaveLength(0);
  });

  it('reports an unavailable provider as idp_unavailable', async () => {
    await seed(nowSeconds() + 100);
    idp.answer = () => 'unreachable';
    const error = (await service
      .getAccessTokenForUser([SCOPE], { user: signedIn })
      .catch((e: unknown) => e)) as IdentityWebError;
    expect(error.code).toBe('idp_unavailable');
    expect(error.message).toContain(AUTHORITY);
  });

  it('removeUser forgets the partition and the hot tokens, and a refresh in flight does not write them back', async () => {
    await seed(nowSeconds() + 100);
    const inFlight = service.getAccessTokenForUser([SCOPE], { user: signedIn });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await service.removeUser(signedIn);
    await inFlight;
    expect(await store.get(userCacheKey(user.homeAccountId))).toBeUndefined();
    expect(hotIndex.size).toBe(0);
    await expect(service.getAccessTokenForUser([SCOPE], { user: signedIn })).rejects.toBeInstanceOf(
      ChallengeUserException,
    );
  });

  it('gets one app token for 1,000 concurrent callers and caches it per tenant', async () => {
    const scope = 'api://todo/.default';
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => service.getAccessTokenForApp(scope)));
    expect(idp.tokenRequests).toHaveLength(1);
    expect(idp.tokenRequests[0].get('grant_type')).toBe('client_credentials');
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(await store.get(appPartitionKey(CLIENT_ID, TENANT))).toContain('"secret":"at-1"');
    await service.getAccessTokenForApp(scope);
    expect(idp.tokenRequests).toHaveLength(1);
    await service.getAccessTokenForApp(scope, { tenant: 'other-tenant' });
    expect(idp.tokenRequests).toHaveLength(2);
  });

  it('refuses an app token for a tenant-less authority', async () => {
    const { tokens: common } = fakeTokenAcquisition(idp, store, fakeIdpOptions('common'));
    await expect(common.getAccessTokenForApp('api://todo/.default')).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
  });

  it('keeps OBO tokens of two assertions apart, one request each, however many callers', async () => {
    const a = `${b64({ alg: 'none' })}.${b64({ exp: nowSeconds() + 3600, sub: 'a' })}.`;
    const b = `${b64({ alg: 'none' })}.${b64({ exp: nowSeconds() + 3600, sub: 'b' })}.`;
    const calls = [a, b, a, b].flatMap((assertion) =>
      Array.from({ length: 50 }, () => service.getAccessTokenOnBehalfOf(['api://graph/read'], assertion)),
    );
    const tokens = await Promise.all(calls);
    expect(idp.tokenRequests).toHaveLength(2);
    expect(idp.tokenRequests.map((p) => p.get('grant_type'))).toEqual([
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]);
    expect(tokens[0].accessToken).not.toBe(tokens[50].accessToken);
    const partitionA = (await store.get(oboPartitionKey(a)))!;
    const partitionB = (await store.get(oboPartitionKey(b)))!;
    expect(partitionA).toContain(`"secret":"${tokens[0].accessToken}"`);
    expect(partitionB).toContain(`"secret":"${tokens[50].accessToken}"`);
    expect(partitionA).not.toContain(`"secret":"${tokens[50].accessToken}"`);
    expect((await service.getAccessTokenOnBehalfOf(['api://graph/read'], a)).accessToken).toBe(
      tokens[0].accessToken,
    );
    expect(idp.tokenRequests).toHaveLength(2);
  });
});
