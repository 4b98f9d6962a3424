import { BlobServiceClient } from '@azure/storage-blob';
import {
  ChallengeUserException,
  InMemoryTokenCacheStore,
  normalizeOptions,
  TokenAcquisitionService,
  type AccessToken,
  type AppTokenOptions,
  type SignedInUser,
  type UserTokenOptions,
} from 'nest-identity-web';
import { MicrosoftIdentityTokenCredential } from './microsoft-identity-token.credential';

const EXPIRES = new Date('2030-01-01T00:00:00Z');
const USER: SignedInUser = {
  homeAccountId: 'oid.tid',
  tenantId: 'tid',
  localAccountId: 'oid',
  username: 'worker@contoso.example',
  environment: 'login.example',
};

/** The real service's user/app dispatch over token requests that are recorded and answered with a fixed token. */
class RecordingTokens extends TokenAcquisitionService {
  readonly userCalls: { scopes: readonly string[]; options: UserTokenOptions }[] = [];
  readonly appCalls: { scope: string; options: AppTokenOptions }[] = [];
  userError: Error | undefined;

  constructor() {
    super(
      normalizeOptions(
        {
          azureAd: {
            instance: 'https://login.example/',
            tenantId: 'tid',
            clientId: '11111111-2222-3333-4444-555555555555',
            clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: 'secret' }],
          },
          session: { secret: 'a-test-session-secret-of-32-characters+' },
        },
        {},
      ),
      new InMemoryTokenCacheStore(),
    );
  }

  override async getAccessTokenForUser(
    scopes: readonly string[],
    options: UserTokenOptions = {},
  ): Promise<AccessToken> {
    this.userCalls.push({ scopes, options });
    if (this.userError) throw this.userError;
    return { accessToken: 'user-token', expiresOn: EXPIRES, scopes: [...scopes], tokenType: 'Bearer' };
  }

  override async getAccessTokenForApp(scope: string, options: AppTokenOptions = {}): Promise<AccessToken> {
    this.appCalls.push({ scope, options });
    return { accessToken: 'app-token', expiresOn: EXPIRES, scopes: [scope], tokenType: 'Bearer' };
  }
}

function credentialOver(tokens: RecordingTokens, options = {}): MicrosoftIdentityTokenCredential {
  return new MicrosoftIdentityTokenCredential(tokens, options);
}

describe('MicrosoftIdentityTokenCredential', () => {
  it('answers the SDK with the user token and its expiry in epoch milliseconds', async () => {
    const tokens = new RecordingTokens();
    await expect(credentialOver(tokens).getToken('https://storage.azure.com/.default')).resolves.toEqual({
      token: 'user-token',
      expiresOnTimestamp: EXPIRES.getTime(),
      tokenType: 'Bearer',
    });
    expect(tokens.userCalls[0].scopes).toEqual(['https://storage.azure.com/.default']);
    expect(tokens.appCalls).toHaveLength(0);
  });

  it('passes the claims and tenant of an SDK challenge on to token acquisition', async () => {
    const tokens = new RecordingTokens();
    await credentialOver(tokens, { tenant: 'configured' }).getToken(['https://vault.azure.net/.default'], {
      claims: '{"access_token":{"nbf":{"essential":true}}}',
      tenantId: 'from-challenge',
    });
    expect(tokens.userCalls[0].options).toMatchObject({
      tenant: 'from-challenge',
      claims: '{"access_token":{"nbf":{"essential":true}}}',
    });
  });

  it('acts for an explicit user in background work', async () => {
    const tokens = new RecordingTokens();
    const shared = credentialOver(tokens);
    await shared.forUser(USER).getToken('https://storage.azure.com/user_impersonation');
    expect(tokens.userCalls[0].options.user).toBe(USER);
    expect(shared.options.user).toBeUndefined();
  });

  it('gets an app token for the one .default scope with forApp(), passing the claims and tenant of a challenge', async () => {
    const tokens = new RecordingTokens();
    const app = credentialOver(tokens).forUser(USER).forApp();
    await expect(app.getToken('https://storage.azure.com/.default')).resolves.toMatchObject({
      token: 'app-token',
    });
    const claims = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    await app.getToken('https://storage.azure.com/.default', { claims, tenantId: 'other' });
    expect(tokens.appCalls).toMatchObject([
      { scope: 'https://storage.azure.com/.default', options: { tenant: undefined, claims: undefined } },
      { scope: 'https://storage.azure.com/.default', options: { tenant: 'other', claims } },
    ]);
    expect(tokens.userCalls).toHaveLength(0);
  });

  it('refuses no scope, and several scopes or a delegated scope for an app token, naming what was asked', async () => {
    const tokens = new RecordingTokens();
    await expect(credentialOver(tokens).getToken([' '])).rejects.toMatchObject({ code: 'invalid_call' });
    await expect(
      credentialOver(tokens).forApp().getToken('https://storage.azure.com/user_impersonation'),
    ).rejects.toMatchObject({ code: 'invalid_call', message: expect.stringContaining('user_impersonation') });
    await expect(
      credentialOver(tokens, { requestAppToken: true }).getToken([
        'https://a/.default',
        'https://b/.default',
      ]),
    ).rejects.toMatchObject({
      code: 'invalid_call',
      message: expect.stringContaining('https://b/.default'),
    });
    expect(tokens.appCalls).toHaveLength(0);
  });

  it('stops waiting when the SDK aborts the operation', async () => {
    const tokens = new RecordingTokens();
    tokens.getAccessTokenForUser = () => new Promise<AccessToken>(() => undefined);
    const controller = new AbortController();
    const pending = credentialOver(tokens).getToken('https://storage.azure.com/.default', {
      abortSignal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets a ChallengeUserException from getToken reach the caller of a real BlobServiceClient unchanged', async () => {
    const tokens = new RecordingTokens();
    const challenge = new ChallengeUserException(['https://storage.azure.com/.default'], 'consent required', {
      msalErrorCode: 'consent_required',
    });
    tokens.userError = challenge;
    const service = new BlobServiceClient('https://127.0.0.1:1/devstoreaccount1', credentialOver(tokens), {
      retryOptions: { maxTries: 1 },
    });
    await expect(service.getContainerClient('photos').createIfNotExists()).rejects.toBe(challenge);
  });
});
