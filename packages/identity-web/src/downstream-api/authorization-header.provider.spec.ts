import type { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import { AuthorizationHeaderProvider } from './authorization-header.provider';

/** Records what token acquisition was asked for. */
function recordingTokens() {
  const calls: Array<{ kind: 'user' | 'app'; scopes: string[] | string; options: unknown }> = [];
  const token = { accessToken: 'tok', tokenType: 'Bearer', expiresOn: new Date(), scopes: [] };
  const service = {
    getAccessTokenForUser: async (scopes: string[], options: unknown) => (
      calls.push({ kind: 'user', scopes, options }),
      token
    ),
    getAccessTokenForApp: async (scope: string, options: unknown) => (
      calls.push({ kind: 'app', scopes: scope, options }),
      token
    ),
  } as unknown as TokenAcquisitionService;
  return { calls, provider: new AuthorizationHeaderProvider(service) };
}

describe('AuthorizationHeaderProvider', () => {
  it('builds a Bearer header for the user with the token options and user given', async () => {
    const { calls, provider } = recordingTokens();
    const user = {
      homeAccountId: 'o.t',
      tenantId: 't',
      localAccountId: 'o',
      username: 'a',
      environment: 'e',
    };
    expect(
      await provider.createAuthorizationHeaderForUser(['api://x/read'], {
        user,
        acquireTokenOptions: { tenant: 't2' },
      }),
    ).toBe('Bearer tok');
    expect(calls).toEqual([{ kind: 'user', scopes: ['api://x/read'], options: { tenant: 't2', user } }]);
  });

  it('passes claims on app token requests, so a claims challenge can be answered for the app', async () => {
    const { calls, provider } = recordingTokens();
    await provider.createAuthorizationHeader(['api://x/.default'], {
      requestAppToken: true,
      acquireTokenOptions: { claims: '{"access_token":{}}', forceRefresh: true },
    });
    expect(calls[0]).toMatchObject({
      kind: 'app',
      scopes: 'api://x/.default',
      options: { claims: '{"access_token":{}}', forceRefresh: true },
    });
  });

  it('refuses an app token for several scopes', async () => {
    const { provider } = recordingTokens();
    await expect(
      provider.createAuthorizationHeader(['a', 'b'], { requestAppToken: true }),
    ).rejects.toMatchObject({
      code: 'invalid_call',
    });
  });
});
