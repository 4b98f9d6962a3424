import { ChallengeUserException } from '../errors';
import { runWithRequestContext } from './request-context';
import { userCacheKey } from '../token-cache/partition-keys';
import { SCOPE } from '../../test/token-acquisition/support/fake-idp';
import {
  describeOverFakeIdp,
  nowSeconds,
  signedIn,
  user,
} from '../../test/token-acquisition/support/fake-idp.fixture';

// User tokens: the cache, the hot index and refreshes. Errors and challenges are in
// token-acquisition.service.challenges.spec.ts, app and on-behalf-of tokens in
// token-acquisition.service.app-tokens.spec.ts.

describeOverFakeIdp((ctx) => {
  it('answers a cached token from the partition, then from the hot index without MSAL', async () => {
    await ctx.seed(nowSeconds() + 3600);
    const forOperation = jest.spyOn(ctx.idp, 'forOperation');
    const first = await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn });
    const second = await ctx.service.getAccessTokenForUser([SCOPE.toUpperCase()], { user: signedIn });
    expect(first.accessToken).toBe('cached-at');
    expect(second).toBe(first);
    expect(forOperation).toHaveBeenCalledTimes(1);
    expect(ctx.idp.tokenRequests).toHaveLength(0);
    expect(ctx.idp.getUrls).toHaveLength(1); // metadata, once
  });

  it('serves a session holding a mixed-case account id from the hot index, and removeUser forgets it', async () => {
    await ctx.seed(nowSeconds() + 3600);
    const forOperation = jest.spyOn(ctx.idp, 'forOperation');
    const upper = { ...signedIn, homeAccountId: signedIn.homeAccountId.toUpperCase() };
    const first = await ctx.service.getAccessTokenForUser([SCOPE], { user: upper });
    expect(await ctx.service.getAccessTokenForUser([SCOPE], { user: upper })).toBe(first);
    expect(await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn })).toBe(first);
    expect(forOperation).toHaveBeenCalledTimes(1);
    await ctx.service.removeUser(upper);
    expect(ctx.hotIndex.size).toBe(0);
    await expect(ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn })).rejects.toBeInstanceOf(
      ChallengeUserException,
    );
  });

  it('takes the user from the request context', async () => {
    await ctx.seed(nowSeconds() + 3600);
    const token = await runWithRequestContext({ user: signedIn }, () =>
      ctx.service.getAccessTokenForUser([SCOPE]),
    );
    expect(token.accessToken).toBe('cached-at');
  });

  it('refuses without a user', async () => {
    await expect(ctx.service.getAccessTokenForUser([SCOPE])).rejects.toMatchObject({ code: 'no_user' });
  });

  it('asks the user to sign in when nothing is cached (restart)', async () => {
    const error = await ctx.service
      .getAccessTokenForUser([SCOPE], { user: signedIn })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({ msalErrorCode: 'no_tokens_found', scopes: [SCOPE] });
    expect(ctx.idp.tokenRequests).toHaveLength(0);
  });

  it('refreshes an expired token once for 1,000 concurrent callers and writes the partition back', async () => {
    await ctx.seed(nowSeconds() + 100); // inside the 300 s renewal window
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, () => ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn })),
    );
    expect(ctx.idp.tokenRequests).toHaveLength(1);
    expect(ctx.idp.tokenRequests[0].get('grant_type')).toBe('refresh_token');
    expect(ctx.idp.tokenRequests[0].get('refresh_token')).toBe('cached-rt');
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['at-1']));
    const stored = (await ctx.store.get(userCacheKey(user.homeAccountId)))!;
    expect(stored).toContain('"secret":"at-1"');
    expect(stored).toContain('"secret":"rt-1"');
  });

  it('goes back to MSAL once the hot index entry reaches the renewal window (frozen clock)', async () => {
    await ctx.seed(nowSeconds() + 3600);
    await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn });
    ctx.service.clock = Date.now() + (3600 - 299) * 1000;
    const forOperation = jest.spyOn(ctx.idp, 'forOperation');
    await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn });
    expect(forOperation).toHaveBeenCalledTimes(1);
  });

  it('bypasses the hot index for forceRefresh and claims, and serves the new token afterwards', async () => {
    await ctx.seed(nowSeconds() + 3600);
    await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn });
    const forced = await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn, forceRefresh: true });
    expect(forced.accessToken).toBe('at-1');
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';
    const withClaims = await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn, claims });
    expect(withClaims.accessToken).toBe('at-2');
    expect(JSON.parse(ctx.idp.tokenRequests[1].get('claims')!)).toMatchObject(JSON.parse(claims));
    expect((await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn })).accessToken).toBe('at-2');
  });

  it('getAccessToken serves the user token from the hot index by default, as getAccessTokenForUser does', async () => {
    await ctx.seed(nowSeconds() + 3600);
    const first = await ctx.service.getAccessToken([SCOPE], { user: signedIn });
    expect(first.accessToken).toBe('cached-at');
    expect(await ctx.service.getAccessToken([SCOPE], { user: signedIn, requestAppToken: false })).toBe(first);
    expect(await ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn })).toBe(first);
    const refreshed = await ctx.service.getAccessToken([SCOPE], {
      user: signedIn,
      acquireTokenOptions: { forceRefresh: true },
    });
    expect(refreshed.accessToken).not.toBe('cached-at');
    expect(ctx.idp.tokenRequests.map((form) => form.get('grant_type'))).toEqual(['refresh_token']);
  });

  it('removeUser forgets the partition and the hot tokens, and a refresh in flight does not write them back', async () => {
    await ctx.seed(nowSeconds() + 100);
    const inFlight = ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await ctx.service.removeUser(signedIn);
    await inFlight;
    expect(await ctx.store.get(userCacheKey(user.homeAccountId))).toBeUndefined();
    expect(ctx.hotIndex.size).toBe(0);
    await expect(ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn })).rejects.toBeInstanceOf(
      ChallengeUserException,
    );
  });
});
