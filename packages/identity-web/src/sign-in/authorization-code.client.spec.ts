import { InMemoryTokenCacheStore } from '../token-cache/in-memory-token-cache.store';
import {
  AUTHORITY,
  CLIENT_ID,
  FakeIdp,
  fakeIdpOptions,
  fakeTokenAcquisition,
  HOST,
  SCOPE,
  TENANT,
} from '../../test/token-acquisition/support/fake-idp';
import { seededUser } from '../../test/token-acquisition/support/msal-partition';
import { AuthorizationCodeClient } from './authorization-code.client';

describe('AuthorizationCodeClient (MSAL over a fake network)', () => {
  let store: InMemoryTokenCacheStore;
  let idp: FakeIdp;
  let parts: ReturnType<typeof fakeTokenAcquisition>;
  let codes: AuthorizationCodeClient;
  const user = seededUser(1, TENANT, HOST);

  beforeEach(() => {
    store = new InMemoryTokenCacheStore();
    idp = new FakeIdp();
    parts = fakeTokenAcquisition(idp, store);
    codes = new AuthorizationCodeClient(fakeIdpOptions(), parts.authorities, parts.clients, parts.cache);
  });

  const redeem = (validateIdToken: (t: string) => Promise<void>) =>
    codes.redeem({
      code: 'code-1',
      redirectUri: 'https://app.test/signin-oidc',
      scopes: ['openid', 'profile', 'offline_access', SCOPE],
      codeVerifier: 'verifier',
      nonce: 'nonce-1',
      validateIdToken,
    });

  it('builds the authorize URL with PKCE, state and nonce', async () => {
    const url = new URL(
      await codes.getAuthorizationCodeUrl({
        redirectUri: 'https://app.test/signin-oidc',
        scopes: [SCOPE],
        state: 'state-1',
        nonce: 'nonce-1',
        codeChallenge: 'challenge',
        loginHint: 'user1@seed.test',
      }),
    );
    expect(url.origin + url.pathname).toBe(`${AUTHORITY}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
      login_hint: 'user1@seed.test',
      response_mode: 'query',
      client_id: CLIENT_ID,
    });
  });

  it('stores the partition only after the ID token was validated', async () => {
    const validate = jest.fn(async () => {
      expect(await store.get(user.homeAccountId)).toBeUndefined();
    });
    const { user: signedInUser, idToken } = await redeem(validate);
    expect(validate).toHaveBeenCalledWith(idToken);
    expect(signedInUser).toMatchObject({
      homeAccountId: user.homeAccountId,
      tenantId: TENANT,
      environment: HOST,
    });
    expect(idp.tokenRequests[0].get('code_verifier')).toBe('verifier');
    const token = await parts.service.getAccessTokenForUser([SCOPE], { user: signedInUser });
    expect(token.accessToken).toBe('at-1');
    expect(idp.tokenRequests).toHaveLength(1);
  });

  it('stores nothing when the ID token is refused', async () => {
    await expect(redeem(async () => Promise.reject(new Error('bad signature')))).rejects.toThrow(
      'bad signature',
    );
    expect(store.size).toBe(0);
  });

  it('fetches authority metadata once', async () => {
    const [a, b] = await Promise.all([parts.authorities.metadata(), parts.authorities.metadata()]);
    expect(a.jwks_uri).toBe(`${AUTHORITY}/discovery/v2.0/keys`);
    expect(b).toBe(a);
    expect(idp.getUrls).toHaveLength(1);
  });
});
