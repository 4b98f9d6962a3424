import { appPartitionKey, oboPartitionKey } from '../token-cache/partition-keys';
import {
  b64,
  CLIENT_ID,
  fakeIdpOptions,
  fakeTokenAcquisition,
  TENANT,
} from '../../test/token-acquisition/support/fake-idp';
import {
  describeOverFakeIdp,
  nowSeconds,
  signedIn,
} from '../../test/token-acquisition/support/fake-idp.fixture';

// App tokens (client credentials), getAccessToken's app path, and on-behalf-of tokens.

describeOverFakeIdp((ctx) => {
  it('answers a claims challenge for an app token: sends the claims, bypassing the cached token', async () => {
    const scope = 'api://todo/.default';
    const first = await ctx.service.getAccessTokenForApp(scope);
    const claims = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    const withClaims = await ctx.service.getAccessTokenForApp(scope, { claims });
    expect(ctx.idp.tokenRequests).toHaveLength(2);
    expect(withClaims.accessToken).not.toBe(first.accessToken);
    expect(JSON.parse(ctx.idp.tokenRequests[1].get('claims')!)).toMatchObject(JSON.parse(claims));
    expect((await ctx.service.getAccessTokenForApp(scope)).accessToken).toBe(withClaims.accessToken);
    expect(ctx.idp.tokenRequests).toHaveLength(2);
  });

  it('getAccessToken with requestAppToken passes claims, tenant and forceRefresh to the app token request', async () => {
    const scope = 'api://todo/.default';
    const first = await ctx.service.getAccessToken([scope], { requestAppToken: true, user: signedIn });
    const claims = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    const withClaims = await ctx.service.getAccessToken([scope], {
      requestAppToken: true,
      acquireTokenOptions: { claims },
    });
    const forced = await ctx.service.getAccessToken([scope], {
      requestAppToken: true,
      acquireTokenOptions: { forceRefresh: true },
    });
    await ctx.service.getAccessToken([scope], {
      requestAppToken: true,
      acquireTokenOptions: { tenant: 'other-tenant' },
    });
    expect(ctx.idp.tokenRequests.map((form) => form.get('grant_type'))).toEqual(
      Array(4).fill('client_credentials'),
    );
    expect(JSON.parse(ctx.idp.tokenRequests[1].get('claims')!)).toMatchObject(JSON.parse(claims));
    expect(new Set([first.accessToken, withClaims.accessToken, forced.accessToken]).size).toBe(3);
    expect(ctx.idp.getUrls.some((url) => url.includes('other-tenant'))).toBe(true);
  });

  it('getAccessToken refuses an app token for other than one "/.default" scope, asking nobody', async () => {
    for (const scopes of [[], ['api://a/.default', 'api://b/.default'], ['api://todo/access_as_user']]) {
      await expect(ctx.service.getAccessToken(scopes, { requestAppToken: true })).rejects.toMatchObject({
        name: 'InvalidCallError',
        code: 'invalid_call',
      });
    }
    expect(ctx.idp.tokenRequests).toHaveLength(0);
  });

  it('gets one app token for 1,000 concurrent callers and caches it per tenant', async () => {
    const scope = 'api://todo/.default';
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, () => ctx.service.getAccessTokenForApp(scope)),
    );
    expect(ctx.idp.tokenRequests).toHaveLength(1);
    expect(ctx.idp.tokenRequests[0].get('grant_type')).toBe('client_credentials');
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(await ctx.store.get(appPartitionKey(CLIENT_ID, TENANT))).toContain('"secret":"at-1"');
    await ctx.service.getAccessTokenForApp(scope);
    expect(ctx.idp.tokenRequests).toHaveLength(1);
    await ctx.service.getAccessTokenForApp(scope, { tenant: 'other-tenant' });
    expect(ctx.idp.tokenRequests).toHaveLength(2);
  });

  it('refuses an app token for a tenant-less authority', async () => {
    const { tokens: common } = fakeTokenAcquisition(ctx.idp, ctx.store, fakeIdpOptions('common'));
    await expect(common.getAccessTokenForApp('api://todo/.default')).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
  });

  it('keeps OBO tokens of two assertions apart, one request each, however many callers', async () => {
    const a = `${b64({ alg: 'none' })}.${b64({ exp: nowSeconds() + 3600, sub: 'a' })}.`;
    const b = `${b64({ alg: 'none' })}.${b64({ exp: nowSeconds() + 3600, sub: 'b' })}.`;
    const calls = [a, b, a, b].flatMap((assertion) =>
      Array.from({ length: 50 }, () => ctx.service.getAccessTokenOnBehalfOf(['api://graph/read'], assertion)),
    );
    const tokens = await Promise.all(calls);
    expect(ctx.idp.tokenRequests).toHaveLength(2);
    expect(ctx.idp.tokenRequests.map((p) => p.get('grant_type'))).toEqual([
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]);
    expect(tokens[0].accessToken).not.toBe(tokens[50].accessToken);
    const partitionA = (await ctx.store.get(oboPartitionKey(a)))!;
    const partitionB = (await ctx.store.get(oboPartitionKey(b)))!;
    expect(partitionA).toContain(`"secret":"${tokens[0].accessToken}"`);
    expect(partitionB).toContain(`"secret":"${tokens[50].accessToken}"`);
    expect(partitionA).not.toContain(`"secret":"${tokens[50].accessToken}"`);
    expect((await ctx.service.getAccessTokenOnBehalfOf(['api://graph/read'], a)).accessToken).toBe(
      tokens[0].accessToken,
    );
    expect(ctx.idp.tokenRequests).toHaveLength(2);
  });
});
