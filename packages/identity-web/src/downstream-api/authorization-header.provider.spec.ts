import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { RecordingTokenAcquisition } from '../testing';
import { AuthorizationHeaderProvider } from './authorization-header.provider';

const USER: SignedInUser = {
  homeAccountId: 'o.t',
  tenantId: 't',
  localAccountId: 'o',
  username: 'a',
  environment: 'e',
};

function recording() {
  const tokens = new RecordingTokenAcquisition();
  return { calls: tokens.calls, provider: new AuthorizationHeaderProvider(tokens) };
}

describe('AuthorizationHeaderProvider', () => {
  it('builds a Bearer header for the user with the token options and user given', async () => {
    const { calls, provider } = recording();
    const scopes = ['api://x/read'];
    expect(
      await provider.createAuthorizationHeaderForUser(scopes, {
        user: USER,
        acquireTokenOptions: { tenant: 't2' },
      }),
    ).toBe('Bearer user-token');
    expect(calls).toEqual([{ kind: 'user', scopes, options: { tenant: 't2', user: USER } }]);
    expect(calls[0].scopes).toBe(scopes);
  });

  it('hands the user and scopes on as given, without copying them, when no token options are set', async () => {
    const { calls, provider } = recording();
    const scopes = ['api://x/read'];
    const options = { user: USER };
    await provider.createAuthorizationHeader(scopes, options);
    expect(calls).toEqual([{ kind: 'user', scopes, options }]);
    expect(calls[0].scopes).toBe(scopes);
    expect(calls[0].options).toBe(options);
  });

  it('gets a user token from createAuthorizationHeaderForUser even when the options ask for the app', async () => {
    const { calls, provider } = recording();
    await provider.createAuthorizationHeaderForUser(['api://x/read'], { requestAppToken: true, user: USER });
    expect(calls).toMatchObject([{ kind: 'user', options: { user: USER } }]);
  });

  it('passes claims, tenant, forceRefresh and correlationId on app token requests, so a claims challenge can be answered for the app', async () => {
    const { calls, provider } = recording();
    const acquireTokenOptions = {
      claims: '{"access_token":{}}',
      forceRefresh: true,
      tenant: 'guest',
      correlationId: 'c-1',
    };
    await provider.createAuthorizationHeader(['api://x/.default'], {
      requestAppToken: true,
      acquireTokenOptions,
    });
    await provider.createAuthorizationHeaderForApp('api://x/.default', { acquireTokenOptions });
    expect(calls).toEqual([
      { kind: 'app', scopes: 'api://x/.default', options: acquireTokenOptions },
      { kind: 'app', scopes: 'api://x/.default', options: acquireTokenOptions },
    ]);
  });

  it('refuses an app token for several scopes, or for one that is not "/.default"', async () => {
    const { calls, provider } = recording();
    for (const scopes of [['api://a/.default', 'api://b/.default'], ['api://a/read']]) {
      await expect(
        provider.createAuthorizationHeader(scopes, { requestAppToken: true }),
      ).rejects.toMatchObject({
        code: 'invalid_call',
      });
    }
    await expect(provider.createAuthorizationHeaderForApp('api://a/read')).rejects.toMatchObject({
      code: 'invalid_call',
    });
    expect(calls).toEqual([]);
  });
});
