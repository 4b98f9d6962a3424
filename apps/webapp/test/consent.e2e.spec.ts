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

  it('says in words which permission a cancelled consent did not grant (403), with a way back', async () => {
    const stopped = await openSignedIn('/emails?folder=inbox&top=5', { stopAt: 'consent' });
    expect(stopped).toMatchObject({ stoppedAt: 'consent', consentScopes: ['Mail.Read'] });
    const authorizeBefore = stack.emulator.control.counters().endpoints.authorize ?? 0;
    const callback = page.waitForResponse((r) => r.url().startsWith(`${stack.webUrl}/signin-oidc`));
    await page.click('#cancel');
    expect((await callback).status()).toBe(403);
    expect(await page.title()).toBe('Permission not granted');
    expect(await page.textContent('#message')).toBe(
      'You did not grant the Identity Web sample permission to read your mail.',
    );
    expect(await page.getAttribute('#back', 'href')).toBe('/emails?folder=inbox&top=5');
    expect(await page.getAttribute('#home', 'href')).toBe('/');
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

  it("loads a page's list through the browser helper, which goes through consent and back to the page", async () => {
    await signInWithPage(page, stack.webUrl, alice);
    await page.goto(`${stack.webUrl}/emails/live`);
    // The page's script is what leaves for the emulator, once its call is answered 401.
    await page.waitForURL((url) => url.origin === stack.emulator.baseUrl);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${stack.webUrl}/emails/live`,
      consentScopes: ['Mail.Read'],
    });
    await page.waitForSelector('#live-messages li');
    expect(await page.locator('#live-messages li').count()).toBe(5);
  });

  it("answers a page's own fetch with 401 JSON whose challengeUrl returns to the page, not the API", async () => {
    await openSignedIn('/compose');
    const first = await page.evaluate(async () => {
      const response = await fetch('/api/emails?top=3', { headers: { accept: 'application/json' } });
      return { status: response.status, body: (await response.json()) as { challengeUrl: string } };
    });
    expect(first.status).toBe(401);
    expect(new URL(first.body.challengeUrl, stack.webUrl).searchParams.get('returnUrl')).toBe('/compose');
    await page.goto(`${stack.webUrl}${first.body.challengeUrl}`);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${stack.webUrl}/compose`,
      consentScopes: ['Mail.Read'],
    });
  });

  it('sends a form post that needed consent exactly once after the round trip; Back does not send it again', async () => {
    await openSignedIn('/compose');
    await page.fill('input[name=to]', 'bob@contoso.onmicrosoft.com');
    await page.fill('input[name=subject]', 'hello');
    await page.fill('textarea[name=body]', 'Lunch at noon?');
    await page.click('#send');
    expect(await answerEmulatorPages(page, alice)).toMatchObject({ consentScopes: ['Mail.Send'] });
    await page.waitForURL(`${stack.webUrl}/compose?sent=1`);
    const sent = () => stack.emulator.control.sentMail(alice.username);
    expect(sent()).toHaveLength(1);
    expect(sent()[0].message).toMatchObject({
      subject: 'hello',
      body: { content: 'Lunch at noon?' },
      toRecipients: [{ emailAddress: { address: 'bob@contoso.onmicrosoft.com' } }],
    });

    await page.goBack();
    expect(await page.title()).toBe('Already sent');
    await page.reload();
    expect(await page.title()).toBe('Already sent');
    expect(sent()).toHaveLength(1);
  });

  it('asks consent once at the first sign-in: the initial scopes cover the profile', async () => {
    stack.emulator.control.revokeConsent(alice.username, webApp);
    const signedIn = await openSignedIn('/profile');
    expect(signedIn).toMatchObject({ url: `${stack.webUrl}/profile`, pages: ['login', 'consent'] });
    expect(signedIn.consentScopes).toEqual(['openid', 'profile', 'offline_access', 'User.Read']);
    expect(await page.textContent('#display-name')).toBe(alice.displayName);
  });

  it('recovers from revoked tokens through one sign-in round trip, without a sign-out by hand', async () => {
    stack.emulator.control.grantConsent(alice.username, webApp, ['Mail.Read']);
    await openSignedIn('/emails?top=2');
    expect(await page.locator('#messages li').count()).toBe(2);
    stack.emulator.control.revokeUser(alice.username);
    // The emulator revokes what it issued up to the end of the current second: sign in after it.
    await new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000)));
    await page.goto(`${stack.webUrl}/emails?top=3`);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({
      url: `${stack.webUrl}/emails?top=3`,
      pages: ['login'],
    });
    expect(await page.locator('#messages li').count()).toBe(3);
  });

  it('brings Back from a completed round trip to its page, not to a refused callback', async () => {
    const callbacks: URL[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${stack.webUrl}/signin-oidc`)) callbacks.push(new URL(request.url()));
    });
    const signedIn = await openSignedIn('/emails?top=4');
    expect(signedIn.consentScopes).toEqual(['Mail.Read']);
    const consentState = callbacks.at(-1)!.searchParams.get('state');
    const back = await page.goBack();
    // Back went through the identity provider, which answered the spent state again.
    expect(callbacks.at(-1)!.searchParams.get('state')).toBe(consentState);
    expect(back?.status()).toBe(200);
    expect(page.url()).toBe(`${stack.webUrl}/emails?top=4`);
    expect(await page.locator('#messages li').count()).toBe(4);
  });
});
