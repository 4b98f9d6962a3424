import { DEFAULT_APPS, DEFAULT_USERS, MFA_CODE, startEmulator, type RunningEmulator } from 'entra-emulator';
import { ChallengeUserException, IdentityWebError } from '../../src/errors';
import type { SignedInUser } from '../../src/token-acquisition/signed-in-user';
import { userCacheKey } from '../../src/token-cache/partition-keys';
import { signIn } from './support/sign-in.driver';
import { createTokenAcquisition, type TokenAcquisitionFixture } from './support/token-acquisition.fixture';

const TODO = 'api://todo-api/access_as_user';
const OIDC = ['openid', 'profile', 'offline_access'];
const { webApp } = DEFAULT_APPS;
const { alice } = DEFAULT_USERS;

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
}

describe('user tokens against the emulator', () => {
  let emulator: RunningEmulator;
  let tokens: TokenAcquisitionFixture;
  let user: SignedInUser;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, controlApi: true });
  });
  afterAll(() => emulator.close());

  beforeEach(async () => {
    emulator.control.reset();
    tokens = await createTokenAcquisition(emulator);
    ({ user } = await signIn(tokens, webApp.clientId, alice, { scopes: [...OIDC, TODO] }));
    emulator.control.resetCounters();
  });

  it('keeps the signed-in user as MSAL knows them, and their tokens in their own partition', async () => {
    expect(user).toMatchObject({
      tenantId: emulator.tenantId,
      username: alice.username,
      environment: emulator.host,
    });
    expect(user.homeAccountId).toBe(`${alice.oid}.${emulator.tenantId}`.toLowerCase());
    expect(await tokens.store.get(userCacheKey(user.homeAccountId))).toContain(
      '"credential_type":"RefreshToken"',
    );
  });

  it('serves the token cached at sign-in without asking the emulator again', async () => {
    const first = await tokens.service.getAccessTokenForUser([TODO], { user });
    const second = await tokens.service.getAccessTokenForUser([TODO], { user });
    expect(second.accessToken).toBe(first.accessToken);
    expect(claimsOf(first.accessToken)).toMatchObject({ oid: alice.oid, scp: 'access_as_user' });
    expect(emulator.control.counters().endpoints.token ?? 0).toBe(0);
  });

  it('asks for consent when the user never granted the scope', async () => {
    const error = await tokens.service
      .getAccessTokenForUser(['https://graph.microsoft.com/Mail.Send'], { user })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error).toMatchObject({
      code: 'challenge_user',
      msalErrorCode: 'consent_required',
      scopes: ['https://graph.microsoft.com/Mail.Send'],
    });
    expect((error as Error).message).toContain('AADSTS65001');
  });

  it('asks for MFA, with the claims to send, when a policy demands it', async () => {
    emulator.control.setConditionalAccess({ resource: 'https://graph.microsoft.com', requireMfa: true });
    emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    const error = (await tokens.service
      .getAccessTokenForUser(['https://graph.microsoft.com/User.Read'], { user })
      .catch((e: unknown) => e)) as ChallengeUserException;
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error.claims).toBeTruthy();
    expect(JSON.parse(error.claims!)).toHaveProperty('access_token');
    expect(error.scopes).toEqual(['https://graph.microsoft.com/User.Read']);
  });

  it('after a restart (new instance, empty cache) asks the user to sign in again', async () => {
    const restarted = await createTokenAcquisition(emulator);
    await expect(restarted.service.getAccessTokenForUser([TODO], { user })).rejects.toMatchObject({
      code: 'challenge_user',
      msalErrorCode: 'no_tokens_found',
    });
    expect(emulator.control.counters().endpoints.token ?? 0).toBe(0);
  });

  it('removeUser forgets the partition and the hot tokens', async () => {
    await tokens.service.getAccessTokenForUser([TODO], { user });
    await tokens.service.removeUser(user);
    expect(await tokens.store.get(userCacheKey(user.homeAccountId))).toBeUndefined();
    expect(tokens.hotIndex.size).toBe(0);
    await expect(tokens.service.getAccessTokenForUser([TODO], { user })).rejects.toBeInstanceOf(
      ChallengeUserException,
    );
  });

  it('refreshes on forceRefresh with the cached refresh token', async () => {
    const before = await tokens.service.getAccessTokenForUser([TODO], { user });
    const after = await tokens.service.getAccessTokenForUser([TODO], { user, forceRefresh: true });
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(emulator.control.counters().grantTypes.refresh_token).toBe(1);
    expect((await tokens.service.getAccessTokenForUser([TODO], { user })).accessToken).toBe(
      after.accessToken,
    );
  });

  it('answers a 503 during a refresh with idp_unavailable', async () => {
    emulator.control.injectFault({ endpoint: 'token', status: 503, retryAfterSeconds: 2 });
    const error = (await tokens.service
      .getAccessTokenForUser([TODO], { user, forceRefresh: true })
      .catch((e: unknown) => e)) as IdentityWebError;
    expect(error.code).toBe('idp_unavailable');
    expect(error.message).toContain('503');
  });

  it('signs the user in again through SSO and the challenge claims, after which tokens flow', async () => {
    emulator.control.setConditionalAccess({ resource: 'https://graph.microsoft.com', requireMfa: true });
    emulator.control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    const graph = ['https://graph.microsoft.com/User.Read'];
    const challenge = (await tokens.service
      .getAccessTokenForUser(graph, { user })
      .catch((e: unknown) => e)) as ChallengeUserException;
    const again = await signIn(
      tokens,
      webApp.clientId,
      { ...alice, otp: MFA_CODE },
      { scopes: [...OIDC, ...challenge.scopes], claims: challenge.claims },
    );
    const token = await tokens.service.getAccessTokenForUser(graph, { user: again.user });
    expect(claimsOf(token.accessToken).amr).toEqual(expect.arrayContaining(['mfa']));
  });
});

describe('refreshing expired user tokens against the emulator', () => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    // Tokens living 200 s are inside MSAL's 300 s renewal window from the start: every use refreshes.
    emulator = await startEmulator({ port: 0, controlApi: true, accessTokenLifetimeSeconds: 200 });
  });
  afterAll(() => emulator.close());

  it('refreshes an expired token with one request for 1,000 concurrent callers', async () => {
    const fresh = await createTokenAcquisition(emulator);
    const { service } = fresh;
    const { user } = await signIn(fresh, webApp.clientId, alice, { scopes: [...OIDC, TODO] });
    emulator.control.resetCounters();
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => service.getAccessTokenForUser([TODO], { user })),
    );
    expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
    expect(emulator.control.counters().grantTypes).toEqual({ refresh_token: 1 });
    await service.getAccessTokenForUser([TODO], { user });
    expect(emulator.control.counters().grantTypes).toEqual({ refresh_token: 2 });
  });
});
