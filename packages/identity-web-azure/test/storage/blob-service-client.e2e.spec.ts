import {
  DEFAULT_APPS,
  DEFAULT_USERS,
  ensureKeyMaterial,
  startEmulator,
  type RunningEmulator,
} from 'entra-emulator';
import { navigate, signInOverHttp, type HttpSignInResult } from 'entra-emulator/testing';
import { startAzurite, type RunningAzurite } from '../support/azurite.process';
import { startBlobsApp, STORAGE_USER_IMPERSONATION, type BlobsTestApp } from './blobs.app';

const alice = DEFAULT_USERS.alice;

describe('Azure Storage SDK (BlobServiceClient) against Azurite with the signed-in user’s credential', () => {
  let emulator: RunningEmulator;
  let azurite: RunningAzurite;
  let app: BlobsTestApp;
  let jar: HttpSignInResult['jar'];

  beforeAll(async () => {
    const keys = await ensureKeyMaterial();
    [emulator, azurite] = await Promise.all([
      startEmulator({ port: 0, controlApi: true }),
      startAzurite({ certificatePem: keys.serverCertificatePem, privateKeyPem: keys.serverPrivateKeyPem }),
    ]);
    app = await startBlobsApp(emulator, DEFAULT_APPS.webApp, azurite.blobServiceUrl);
    const signedIn = await signInOverHttp(app.baseUrl, alice);
    expect(signedIn.returnedTo).toBe('/');
    jar = signedIn.jar;
  });

  afterAll(async () => {
    await app?.close();
    await azurite?.stop();
    await emulator?.close();
  });

  /** A script's request to the app with alice's cookies (JSON accepted), redirects not followed. */
  async function request(path: string, init: { method?: string; body?: string } = {}): Promise<Response> {
    const url = `${app.baseUrl}${path}`;
    const headers = { accept: 'application/json', 'content-type': 'application/json' };
    const cookie = await jar.getCookieString(url);
    return fetch(url, { ...init, redirect: 'manual', headers: { ...headers, cookie } });
  }

  it('sends a user who never granted Storage access to consent: 401 JSON for fetch, a redirect for navigations', async () => {
    const api = await request('/blobs/photos');
    expect(api.status).toBe(401);
    const body = (await api.json()) as { error: string; challengeUrl: string; scopes: string[] };
    expect(body.error).toBe('interaction_required');
    expect(body.scopes).toContain(STORAGE_USER_IMPERSONATION);
    expect(body.challengeUrl).toMatch(/^\/account\/challenge\?/);
    expect(new URL(body.challengeUrl, app.baseUrl).searchParams.get('returnUrl')).toBe('/blobs/photos');
    expect(JSON.stringify(body)).not.toMatch(/eyJ[\w-]+\./);

    const page = await navigate(`${app.baseUrl}/blobs/photos`, { jar });
    expect(page.status).toBe(302);
    expect(page.location).toBe(body.challengeUrl);
  });

  it('after the consent round trip, uploads and lists the user’s blobs through the SDK', async () => {
    const api = await request('/blobs/photos');
    const { challengeUrl } = (await api.json()) as { challengeUrl: string };
    const back = await signInOverHttp(app.baseUrl, alice, { jar, startAt: challengeUrl });
    expect(back).toMatchObject({ returnedTo: '/blobs/photos', consentScopes: [STORAGE_USER_IMPERSONATION] });

    for (const name of ['beach.txt', 'alps.txt']) {
      const put = await request(`/blobs/photos/${name}`, {
        method: 'PUT',
        body: JSON.stringify({ text: `a photo called ${name}` }),
      });
      expect(put.status).toBe(200);
    }
    const list = await request('/blobs/photos');
    expect(list.status).toBe(200);
    await expect(list.json()).resolves.toEqual(['alps.txt', 'beach.txt']);
  });

  it('hands the SDK the user’s v1 Storage token for .default: what the user granted', async () => {
    const res = await request('/storage-token-claims');
    expect(res.status).toBe(200);
    const claims = (await res.json()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      aud: 'https://storage.azure.com',
      iss: `https://sts.windows.net/${emulator.tenantId}/`,
      upn: alice.username,
      appid: DEFAULT_APPS.webApp.clientId,
      scp: 'user_impersonation',
    });
  });

  it('lists the same container as the app itself with forApp() (client credentials)', async () => {
    const res = await request('/app/blobs/photos');
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual(['alps.txt', 'beach.txt']);
  });
});
