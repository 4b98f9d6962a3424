import {
  DEFAULT_APPS,
  DEFAULT_USERS,
  ensureKeyMaterial,
  startEmulator,
  type RunningEmulator,
} from 'entra-emulator';
import { BrowserSession } from '../support/browser-session';
import { startAzurite, type RunningAzurite } from '../support/azurite.process';
import { startBlobsApp, STORAGE_USER_IMPERSONATION, type BlobsTestApp } from './blobs.app';

const alice = DEFAULT_USERS.alice;

describe('Azure Storage SDK (BlobServiceClient) against Azurite with the signed-in user’s credential', () => {
  let emulator: RunningEmulator;
  let azurite: RunningAzurite;
  let app: BlobsTestApp;
  let browser: BrowserSession;

  beforeAll(async () => {
    const keys = await ensureKeyMaterial();
    [emulator, azurite] = await Promise.all([
      startEmulator({ port: 0, controlApi: true }),
      startAzurite({ certificatePem: keys.serverCertificatePem, privateKeyPem: keys.serverPrivateKeyPem }),
    ]);
    app = await startBlobsApp(emulator, DEFAULT_APPS.webApp, azurite.blobServiceUrl);
    browser = new BrowserSession(app.baseUrl, { username: alice.username, password: alice.password });
    await expect(browser.roundTrip('/account/signin?returnUrl=%2F')).resolves.toBe('/');
  });

  afterAll(async () => {
    await app?.close();
    await azurite?.stop();
    await emulator?.close();
  });

  it('sends a user who never granted Storage access to consent: 401 JSON for fetch, a redirect for navigations', async () => {
    const api = await browser.fetch('/blobs/photos', { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    const body = (await api.json()) as { error: string; challengeUrl: string; scopes: string[] };
    expect(body.error).toBe('interaction_required');
    expect(body.scopes).toContain(STORAGE_USER_IMPERSONATION);
    expect(body.challengeUrl).toMatch(/^\/account\/challenge\?/);
    expect(new URL(body.challengeUrl, app.baseUrl).searchParams.get('returnUrl')).toBe('/blobs/photos');
    expect(JSON.stringify(body)).not.toMatch(/eyJ[\w-]+\./);

    const page = await browser.navigate('/blobs/photos');
    expect(page.status).toBe(302);
    expect(page.location).toBe(body.challengeUrl);
  });

  it('after the consent round trip, uploads and lists the user’s blobs through the SDK', async () => {
    const api = await browser.fetch('/blobs/photos', { headers: { accept: 'application/json' } });
    const { challengeUrl } = (await api.json()) as { challengeUrl: string };
    await expect(browser.roundTrip(challengeUrl)).resolves.toBe('/blobs/photos');

    for (const name of ['beach.txt', 'alps.txt']) {
      const put = await browser.fetch(`/blobs/photos/${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ text: `a photo called ${name}` }),
      });
      expect(put.status).toBe(200);
    }
    const list = await browser.fetch('/blobs/photos', { headers: { accept: 'application/json' } });
    expect(list.status).toBe(200);
    await expect(list.json()).resolves.toEqual(['alps.txt', 'beach.txt']);
  });

  it('hands the SDK the user’s v1 Storage token for .default: what the user granted', async () => {
    const res = await browser.fetch('/storage-token-claims', { headers: { accept: 'application/json' } });
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
    const res = await browser.fetch('/app/blobs/photos', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual(['alps.txt', 'beach.txt']);
  });
});
