import { BlobServiceClient } from '@azure/storage-blob';
import { ChallengeUserException, type AccessToken } from 'nest-identity-web';
import { RecordingTokenAcquisition, SIGNED_IN_USER as USER } from 'nest-identity-web/testing';
import { MicrosoftIdentityTokenCredential } from './microsoft-identity-token.credential';

function credentialOver(tokens: RecordingTokenAcquisition, options = {}): MicrosoftIdentityTokenCredential {
  return new MicrosoftIdentityTokenCredential(tokens, options);
}

describe('MicrosoftIdentityTokenCredential', () => {
  it('answers the SDK with the user token and its expiry in epoch milliseconds', async () => {
    const tokens = new RecordingTokenAcquisition();
    await expect(credentialOver(tokens).getToken('https://storage.azure.com/.default')).resolves.toEqual({
      token: 'user-token',
      expiresOnTimestamp: tokens.expiresOn.getTime(),
      tokenType: 'Bearer',
    });
    expect(tokens.userCalls[0].scopes).toEqual(['https://storage.azure.com/.default']);
    expect(tokens.appCalls).toHaveLength(0);
  });

  it('passes the claims and tenant of an SDK challenge on to token acquisition', async () => {
    const tokens = new RecordingTokenAcquisition();
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
    const tokens = new RecordingTokenAcquisition();
    const shared = credentialOver(tokens);
    await shared.forUser(USER).getToken('https://storage.azure.com/user_impersonation');
    expect(tokens.userCalls[0].options?.user).toBe(USER);
    expect(shared.options.user).toBeUndefined();
  });

  it('gets an app token for the one .default scope with forApp(), passing the claims and tenant of a challenge', async () => {
    const tokens = new RecordingTokenAcquisition();
    const app = credentialOver(tokens).forUser(USER).forApp();
    await expect(app.getToken('https://storage.azure.com/.default')).resolves.toMatchObject({
      token: 'app-token',
    });
    const claims = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
    await app.getToken('https://storage.azure.com/.default', { claims, tenantId: 'other' });
    expect(tokens.appCalls).toMatchObject([
      { scopes: 'https://storage.azure.com/.default', options: { tenant: undefined, claims: undefined } },
      { scopes: 'https://storage.azure.com/.default', options: { tenant: 'other', claims } },
    ]);
    expect(tokens.userCalls).toHaveLength(0);
  });

  it('refuses no scope, and several scopes or a delegated scope for an app token, naming what was asked', async () => {
    const tokens = new RecordingTokenAcquisition();
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
    const tokens = new RecordingTokenAcquisition();
    tokens.getAccessTokenForUser = () => new Promise<AccessToken>(() => undefined);
    const controller = new AbortController();
    const pending = credentialOver(tokens).getToken('https://storage.azure.com/.default', {
      abortSignal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets a ChallengeUserException from getToken reach the caller of a real BlobServiceClient unchanged', async () => {
    const tokens = new RecordingTokenAcquisition();
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
