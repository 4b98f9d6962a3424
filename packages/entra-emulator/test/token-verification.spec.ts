import { DEFAULT_APPS, GRAPH_RESOURCE } from '../src/index';
import { useEmulator } from '../src/testing';
import { webAppClient } from './support/msal-clients';
import { verifyAuthenticationResult } from './support/verify-token';

// The test clients check every token with jose; this proves the check can fail.
describe('every token the tests obtain is verified against the JWKS', () => {
  const emu = useEmulator({ resetBeforeEach: false });
  let accessToken: string;

  beforeAll(async () => {
    const client = webAppClient(emu());
    accessToken = (await client.acquireTokenByClientCredential({ scopes: ['api://todo-api/.default'] }))!
      .accessToken;
  });

  const result = (token: string) => ({ accessToken: token, idToken: '' }) as never;
  const facts = { clientId: DEFAULT_APPS.webApp.clientId, scopes: ['api://todo-api/.default'] };

  it('accepts the token as issued', async () => {
    await expect(verifyAuthenticationResult(emu(), result(accessToken), facts)).resolves.toBeUndefined();
  });

  it('refuses a token whose signature was tampered with', async () => {
    const [header, payload] = accessToken.split('.');
    const forged = `${header}.${payload}.${Buffer.from('x'.repeat(256)).toString('base64url')}`;
    await expect(verifyAuthenticationResult(emu(), result(forged), facts)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('refuses a token for another audience than the scopes asked for (a v1 Graph token expected)', async () => {
    await expect(
      verifyAuthenticationResult(emu(), result(accessToken), {
        ...facts,
        scopes: [`${GRAPH_RESOURCE}/.default`],
      }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });
});
