import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages, signInWithPage, type PageSignInOptions } from 'entra-emulator/testing';
import type { Page } from 'playwright-core';
import { newPage, startSampleStack, type SampleStack } from './stack';

const alice = DEFAULT_USERS.alice;
const webApp = DEFAULT_APPS.webApp.clientId;

describe('the sample web app: incremental consent and conditional access in Chromium', () => {
  let stack: SampleStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startSampleStack();
  });
  afterAll(() => stack.close());

  beforeEach(async () => {
    stack.emulator.control.reset();
    // Alice has consented to sign-in and to reading her profile, nothing more.
    stack.emulator.control.grantConsent(alice.username, webApp, [
      'openid',
      'profile',
      'offline_access',
      'User.Read',
    ]);
    page = await newPage(stack);
  });
  afterEach(async () => {
    // Signing out drops alice's cached tokens, so the next test starts from her grants alone.
    await page.goto(`${stack.webUrl}/account/signout`);
    await page.context().close();
  });

  /** Opens `path`, signs alice in on the emulator's pages on the way, and comes back to the app. */
  function openSignedIn(path: string, options: PageSignInOptions = {}) {
    return signInWithPage(page, stack.webUrl, alice, { startAt: path, ...options });
  }

  it('shows the profile from Graph after sign-in, on the page first asked for', async () => {
    const signedIn = await openSignedIn('/profile?tab=2');
    expect(signedIn).toMatchObject({ url: `${stack.webUrl}/profile?tab=2`, pages: ['login'] });
    expect(await page.textContent('#display-name')).toBe(alice.displayName);
  });

  it('asks consent for Mail.Read only, then lands on the same URL with the messages', async () => {
    const signedIn = await openSignedIn('/emails?folder=inbox&top=5');
    expect(signedIn.consentScopes).toEqual(['Mail.Read']);
    expect(signedIn.url).toBe(`${stack.webUrl}/emails?folder=inbox&top=5`);
    expect(await page.locator('#messages li').count()).toBe(5);
  });

  it('shows a clear page, not a redirect loop, when the user cancels consent', async () => {
    const stopped = await openSignedIn('/emails?folder=inbox&top=5', { stopAt: 'consent' });
    expect(stopped).toMatchObject({ stoppedAt: 'consent', consentScopes: ['Mail.Read'] });
    const authorizeBefore = stack.emulator.control.counters().endpoints.authorize ?? 0;
    await page.click('#cancel');
    await page.waitForURL((url) => url.href.startsWith(stack.webUrl));
    expect(await page.textContent('body')).toMatch(/not granted|cancel|denied/i);
    expect(stack.emulator.control.counters().endpoints.authorize ?? 0).toBe(authorizeBefore);
  });

  it('sends the user through MFA when a conditional-access policy demands it, then back', async () => {
    stack.emulator.control.grantConsent(alice.username, webApp, ['api://todo-api/access_as_user']);
    stack.emulator.control.setConditionalAccess({ resource: 'api://todo-api', requireMfa: true });
    const signedIn = await openSignedIn('/todos');
    expect(signedIn).toMatchObject({ url: `${stack.webUrl}/todos`, pages: ['login', 'mfa'] });
    expect(await page.locator('#todos').count()).toBe(1);
  });

  it('answers a claims challenge from Graph by sending the user through MFA with those claims', async () => {
    stack.emulator.control.grantConsent(alice.username, webApp, ['Mail.Read']);
    await openSignedIn('/emails?top=2');
    // The token Graph accepted a moment ago is now refused with a claims challenge (CAE-style).
    stack.emulator.control.setConditionalAccess({
      resource: 'https://graph.microsoft.com',
      requireMfa: true,
    });
    const authorizeUrls: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/oauth2/v2.0/authorize')) authorizeUrls.push(url);
    });
    await page.goto(`${stack.webUrl}/emails?top=3`);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${stack.webUrl}/emails?top=3`,
      pages: ['mfa'],
    });
    expect(authorizeUrls).toHaveLength(1);
    expect(authorizeUrls[0].searchParams.get('claims')).toContain('access_token');
    expect(await page.locator('#messages li').count()).toBe(3);
  });

  it('answers fetch with 401 JSON whose challengeUrl completes the consent', async () => {
    expect((await signInWithPage(page, stack.webUrl, alice)).url).toBe(`${stack.webUrl}/`);
    const first = await page.evaluate(async () => {
      const response = await fetch('/api/emails?top=3', { headers: { accept: 'application/json' } });
      return { status: response.status, body: (await response.json()) as { challengeUrl: string } };
    });
    expect(first.status).toBe(401);
    await page.goto(`${stack.webUrl}${first.body.challengeUrl}`);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${stack.webUrl}/api/emails?top=3`,
      consentScopes: ['Mail.Read'],
    });
    const second = await page.evaluate(async () => {
      const response = await fetch('/api/emails?top=3', { headers: { accept: 'application/json' } });
      return { status: response.status, count: ((await response.json()) as unknown[]).length };
    });
    expect(second).toEqual({ status: 200, count: 3 });
  });

  it('brings a form POST that needs consent back to the form page', async () => {
    await openSignedIn('/compose');
    await page.fill('input[name=to]', 'bob@contoso.onmicrosoft.com');
    await page.fill('input[name=subject]', 'hello');
    await page.click('#send');
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${stack.webUrl}/compose`,
      consentScopes: ['Mail.Send'],
    });
    await page.fill('input[name=to]', 'bob@contoso.onmicrosoft.com');
    await page.fill('input[name=subject]', 'hello again');
    await page.click('#send');
    await page.waitForURL(`${stack.webUrl}/compose?sent=1`);
  });
});
