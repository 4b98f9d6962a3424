import { DEFAULT_APPS, DEFAULT_USERS, type RunningEmulator } from 'entra-emulator';
import {
  answerEmulatorPages,
  appUrlOf,
  launchChromium,
  newTestContext,
  signInWithPage,
  startTestEmulator,
  type PageSignInOptions,
} from 'entra-emulator/testing';
import { InMemoryTokenCacheStore, loadAppSettings } from 'nest-identity-web';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createExpressWebApp, type ExpressWebApp } from '../src/app';

const alice = DEFAULT_USERS.alice;
const webApp = DEFAULT_APPS.webApp.clientId;

describe('the plain Express sample: sign-in, Graph and incremental consent in Chromium', () => {
  let emulator: RunningEmulator;
  let sample: ExpressWebApp;
  let store: InMemoryTokenCacheStore;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emulator = await startTestEmulator({ controlApi: true });
    // The sample's own appsettings.json, pointed at this run's emulator as `npm start` does.
    const settings = loadAppSettings({
      directory: join(__dirname, '..'),
      env: {
        AzureAd__Instance: `${emulator.baseUrl}/`,
        DownstreamApis__GraphAPI__BaseUrl: `${emulator.baseUrl}/v1.0`,
        IdentityWeb__Session__Secret: 'an-express-sample-test-session-secret-0000',
      },
    });
    store = new InMemoryTokenCacheStore();
    sample = createExpressWebApp(settings, { store, logger: { warn: () => {} } });
    server = await new Promise<Server>((resolve) => {
      const listening = sample.app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = await appUrlOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await sample.identity.close();
    await emulator.close();
  });

  beforeEach(async () => {
    emulator.control.reset();
    // Alice has consented to sign-in and to reading her profile, nothing more.
    emulator.control.grantConsent(alice.username, webApp, [
      'openid',
      'profile',
      'offline_access',
      'User.Read',
    ]);
    page = await (await newTestContext(browser)).newPage();
  });
  afterEach(async () => {
    await page.goto(`${url}/account/signout`);
    await page.context().close();
  });

  function openSignedIn(path: string, options: PageSignInOptions = {}) {
    return signInWithPage(page, url, alice, { startAt: path, ...options });
  }

  it('shows the profile from Graph after sign-in, on the page first asked for', async () => {
    const signedIn = await openSignedIn('/profile?tab=2');
    expect(signedIn).toMatchObject({ url: `${url}/profile?tab=2`, pages: ['login'] });
    expect(await page.textContent('#display-name')).toBe(alice.displayName);
    expect(await page.textContent('#user')).toBe(alice.displayName);
  });

  it('asks consent for Mail.Read only, then lands on the same URL, query kept, with the messages', async () => {
    const signedIn = await openSignedIn('/emails?folder=inbox&top=5');
    expect(signedIn.consentScopes).toEqual(['Mail.Read']);
    expect(signedIn.url).toBe(`${url}/emails?folder=inbox&top=5`);
    expect(await page.locator('#messages li').count()).toBe(5);
  });

  it("answers a page's own fetch with 401 JSON whose challengeUrl returns to the page", async () => {
    await openSignedIn('/compose');
    const callMail = () =>
      page.evaluate(async () => {
        const response = await fetch('/api/emails?top=3', { headers: { accept: 'application/json' } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      });
    const refused = await callMail();
    expect(refused).toMatchObject({
      status: 401,
      body: { error: 'interaction_required', scopes: expect.arrayContaining(['Mail.Read']) },
    });
    const challengeUrl = new URL(String(refused.body.challengeUrl), url);
    expect(challengeUrl.searchParams.get('returnUrl')).toBe('/compose');
    await page.goto(challengeUrl.href);
    const back = await answerEmulatorPages(page, alice);
    expect(back).toMatchObject({ url: `${url}/compose`, consentScopes: ['Mail.Read'] });
    const answered = await callMail();
    expect(answered.status).toBe(200);
    expect(answered.body).toHaveLength(3);
  });

  it("loads the live page's list through the browser helper, through consent and back", async () => {
    await signInWithPage(page, url, alice);
    await page.goto(`${url}/emails/live`);
    await page.waitForURL((current) => current.origin === emulator.baseUrl);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${url}/emails/live`,
      consentScopes: ['Mail.Read'],
    });
    await page.waitForSelector('#live-messages li');
    expect(await page.locator('#live-messages li').count()).toBe(5);
  });

  it('sends a form post that needed consent exactly once after the round trip', async () => {
    await openSignedIn('/compose');
    const typed = {
      to: 'bob@contoso.onmicrosoft.com',
      subject: 'hello from Express',
      body: 'Lunch at noon?',
    };
    for (const [name, value] of Object.entries(typed)) await page.fill(`[name=${name}]`, value);
    await page.click('#send');
    expect(await answerEmulatorPages(page, alice)).toMatchObject({ consentScopes: ['Mail.Send'] });
    await page.waitForURL(`${url}/compose?sent=1`);
    const sent = emulator.control.sentMail(alice.username);
    expect(sent.map((m) => m.message.subject)).toEqual([typed.subject]);
    await page.goBack();
    expect(await page.title()).toBe('Already sent');
    expect(emulator.control.sentMail(alice.username)).toHaveLength(1);
  });

  it("signs out: the session ends, the user's tokens leave the cache, and pages ask to sign in again", async () => {
    await openSignedIn('/profile');
    // The user's partition in the token cache store: `user:` and the home account id, lower-cased.
    const partition = `user:${alice.oid}.${emulator.tenantId}`.toLowerCase();
    expect(await store.get(partition)).toBeDefined();
    await page.click('#signout');
    await page.waitForURL(`${url}/`);
    expect(await page.locator('#user').count()).toBe(0);
    expect(await store.get(partition)).toBeUndefined();
    await page.goto(`${url}/profile`);
    expect(new URL(page.url()).origin).toBe(emulator.baseUrl);
  });
});
