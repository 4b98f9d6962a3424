import { ChallengeUserException, IdentityWebError } from '../errors';
import { AUTHORITY, SCOPE } from '../../test/token-acquisition/support/fake-idp';
import {
  describeOverFakeIdp,
  nowSeconds,
  signedIn,
} from '../../test/token-acquisition/support/fake-idp.fixture';

// What failures at the identity provider become: challenges for the user, or errors.

describeOverFakeIdp((ctx) => {
  it('turns a consent error into a challenge', async () => {
    await ctx.seed(nowSeconds() + 3600);
    ctx.idp.answer = () => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'AADSTS65001: no consent',
        error_codes: [65001],
        suberror: 'consent_required',
      },
    });
    const error = await ctx.service
      .getAccessTokenForUser(['api://other/read'], { user: signedIn })
      .catch((e: unknown) => e as ChallengeUserException);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({ msalErrorCode: 'consent_required', scopes: ['api://other/read'] });
    expect((error as Error).message).not.toContain('cached-rt');
  });

  it('turns an MFA demand into a challenge carrying the claims', async () => {
    await ctx.seed(nowSeconds() + 3600);
    const claims = '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}';
    ctx.idp.answer = () => ({
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
      ctx.service.getAccessTokenForUser(['api://other/read'], { user: signedIn }),
    ).rejects.toMatchObject({
      code: 'challenge_user',
      msalErrorCode: 'basic_action',
      claims,
    });
  });

  describe("a challenge for a request made with a resource's claims carries those claims", () => {
    const resourceClaims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';

    it('when the identity provider asks for interaction without naming claims', async () => {
      await ctx.seed(nowSeconds() + 3600);
      ctx.idp.answer = () => ({
        status: 400,
        body: {
          error: 'interaction_required',
          error_description: 'AADSTS50158: step-up',
          error_codes: [50158],
        },
      });
      await expect(
        ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn, claims: resourceClaims }),
      ).rejects.toMatchObject({ code: 'challenge_user', claims: resourceClaims });
    });

    it('when nothing is cached for the user', async () => {
      await expect(
        ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn, claims: resourceClaims }),
      ).rejects.toMatchObject({ msalErrorCode: 'no_tokens_found', claims: resourceClaims });
    });

    it("but the identity provider's own claims win", async () => {
      await ctx.seed(nowSeconds() + 3600);
      const providerClaims = '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}';
      ctx.idp.answer = () => ({
        status: 400,
        body: {
          error: 'invalid_grant',
          suberror: 'basic_action',
          error_codes: [50076],
          claims: providerClaims,
        },
      });
      await expect(
        ctx.service.getAccessTokenForUser([SCOPE], { user: signedIn, claims: resourceClaims }),
      ).rejects.toMatchObject({ claims: providerClaims });
    });
  });

  it('turns a plain invalid_grant on refresh (expired refresh token) into a challenge', async () => {
    await ctx.seed(nowSeconds() + 100);
    ctx.idp.answer = () => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'AADSTS700082: The refresh token has expired due to inactivity.',
        error_codes: [700082],
      },
    });
    const error = await ctx.service
      .getAccessTokenForUser([SCOPE], { user: signedIn })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({ msalErrorCode: 'invalid_grant', scopes: [SCOPE] });
    expect((error as Error).message).toContain('AADSTS700082');
    expect((error as Error).message).not.toContain('cached-rt');
  });

  it('keeps a plain invalid_grant on client credentials an idp_error', async () => {
    ctx.idp.answer = () => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'AADSTS700082', error_codes: [700082] },
    });
    await expect(ctx.service.getAccessTokenForApp('api://todo/.default')).rejects.toMatchObject({
      code: 'idp_error',
    });
  });

  it('reports an unavailable provider as idp_unavailable', async () => {
    await ctx.seed(nowSeconds() + 100);
    ctx.idp.answer = () => 'unreachable';
    const error = (await ctx.service
      .getAccessTokenForUser([SCOPE], { user: signedIn })
      .catch((e: unknown) => e)) as IdentityWebError;
    expect(error.code).toBe('idp_unavailable');
    expect(error.message).toContain(AUTHORITY);
  });
});
