import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import {
  answerEmulatorPages,
  navigate,
  newTestContext,
  signInOverHttp,
  signInWithPage,
  useChromium,
  useEmulator,
} from 'entra-emulator/testing';
import type { Page } from 'playwright-core';
import { CookieJar } from 'tough-cookie';
import type { RunningEmulator } from 'entra-emulator';
import { startRoundTripApp, type RoundTripApp } from './round-trip.app';
import { startExpressRoundTripApp } from './round-trip.express-app';

const { alice, bob } = DEFAULT_USERS;
const webApp = DEFAULT_APPS.webApp.clientId;
const SIGN_IN = ['openid', 'profile', 'offline_access', 'User.Read'];

type StartApp = (emulator: RunningEmulator, consent?: Record<string, unknown>) => Promise<RoundTripApp>;

// The same journeys through both front doors: the Nest module and the plain Express entry point;
// and with sessions kept in the cookie itself (IdentityWeb:Session:Mode "cookie") through each.
describe.each<[string, StartApp]>([
  ['the Nest module', startRoundTripApp],
  ['nest-identity-web/express', startExpressRoundTripApp],
  [
    'the Nest module, sessions in the cookie',
    (emulator, consent) => startRoundTripApp(emulator, consent, 'cookie'),
  ],
  [
    'nest-identity-web/express, sessions in the cookie',
    (emulator, consent) => startExpressRoundTripApp(emulator, consent, 'cookie'),
  ],
])('consent round trips that finish what the user was doing, through %s', (_frontDoor, startApp) => {
  const emulator = useEmulator({ controlApi: true });
  const browser = useChromium();
  let target: RoundTripApp;
  let page: Page;

  // A new app per test: its token cache must not keep an earlier test's consented tokens.
  beforeEach(async () => {
    for (const user of [alice, bob]) emulator().control.grantConsent(user.username, webApp, SIGN_IN);
    target = await startApp(emulator());
    page = await (await newTestContext(browser())).newPage();
  });
  afterEach(async () => {
    await page.context().close();
    await target.close();
  });

  const authorizeRequests = () => emulator().control.counters().endpoints.authorize ?? 0;

  it("asks for the route's scopes with those a guard needed, in one round trip", async () => {
    const signedIn = await signInWithPage(page, target.url, alice, { startAt: '/guarded?tab=1' });
    expect(signedIn.url).toBe(`${target.url}/guarded?tab=1`);
    expect(signedIn.consentScopes.sort()).toEqual(['Mail.ReadWrite', 'Mail.Send']);
    expect(await page.textContent('#scopes')).toContain('Mail.ReadWrite');
  });

  it('sends a JSON call that needed consent once after the round trip, then returns to its page', async () => {
    await signInWithPage(page, target.url, alice, { startAt: '/notes' });
    await page.fill('#subject', 'buy milk');
    await page.click('#save');
    await page.waitForURL((url) => url.origin === emulator().baseUrl);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({ consentScopes: ['Mail.Send'] });
    await page.waitForURL(`${target.url}/notes`);
    const sent = emulator().control.sentMail(alice.username);
    expect(sent.map((m) => m.message.subject)).toEqual(['buy milk']);
    expect(target.handled).toEqual(['api/notes', 'api/notes']); // refused before consent, then once
  });

  it('follows a signInUrl from the browser helper and comes back to the calling page', async () => {
    await page.goto(`${target.url}/who`);
    await page.waitForURL((url) => url.origin === emulator().baseUrl);
    expect(await answerEmulatorPages(page, alice)).toMatchObject({ url: `${target.url}/who` });
    await page.waitForFunction(() => document.getElementById('who')?.textContent !== '');
    expect(await page.textContent('#who')).toBe(alice.username);
  });

  it('shows a clear page instead of a second round trip when the same challenge comes straight back', async () => {
    await signInWithPage(page, target.url, alice);
    const before = authorizeRequests();
    const landed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/account/challenge' && r.status() === 403,
    );
    await page.goto(`${target.url}/stuck`);
    await landed;
    expect(authorizeRequests() - before).toBe(1);
    expect(await page.title()).toBe('Permission still missing');
    expect(await page.textContent('#message')).toMatch(
      /Contoso Notes still cannot get permission to read your profile/,
    );
  });

  describe('a form post kept during the round trip (over HTTP)', () => {
    /** Posts the form as alice (signed in already) and returns where the round trip lands, its jar and the challenge. */
    async function postNeedingConsent(
      form: Record<string, string>,
      init: { headers?: Record<string, string> } = {},
    ) {
      const first = await signInOverHttp(target.app, alice, { returnUrl: '/form' });
      const posted = await navigate(`${target.url}/form`, {
        form,
        jar: first.jar,
        headers: { referer: `${target.url}/form`, ...init.headers },
      });
      expect(posted.status).toBe(302);
      const trip = await signInOverHttp(target.app, alice, { startAt: posted.location, jar: first.jar });
      return { jar: first.jar, landing: trip.returnedTo };
    }

    it('posts the kept fields back once: a second post of the same page is refused and never reaches the app', async () => {
      const { jar, landing } = await postNeedingConsent({ subject: 'hello', tags: 'a' });
      expect(landing).toMatch(/^\/account\/resubmit\?id=/);
      const resubmitPage = await navigate(`${target.url}${landing}`, { jar });
      expect(resubmitPage.body).toContain('<button type="submit" id="continue">Continue</button>');
      expect(resubmitPage.body).not.toMatch(/<script>/); // scripts only from files: CSP-friendly
      const action = /<form id="identity-web-resubmit" method="post" action="([^"]+)"/.exec(
        resubmitPage.body,
      )![1];
      const fields = { subject: 'hello', tags: 'a' };
      const resent = await navigate(`${target.url}${action.replace(/&amp;/g, '&')}`, { form: fields, jar });
      expect(resent).toMatchObject({ status: 307, location: '/form' });
      const again = await navigate(`${target.url}${action.replace(/&amp;/g, '&')}`, { form: fields, jar });
      expect(again.status).toBe(409);
      expect(again.body).toMatch(/It is not sent again/);
      expect(target.handled).toHaveLength(1); // the first post only: the 307 is the browser's to follow
      expect((await navigate(`${target.url}${landing}`, { jar })).body).toMatch(/Already sent/);
    });

    it('tells the user to send a form again when it was too large', async () => {
      const { jar, landing } = await postNeedingConsent({ subject: 'x'.repeat(20_000) });
      const tooLarge = await navigate(`${target.url}${landing}`, { jar });
      expect(tooLarge.body).toMatch(
        /Permission was granted, but what you submitted was not sent: it was too large/,
      );
      expect(tooLarge.body).toContain('<a id="back" href="/form">Back to the form</a>');
    });

    it('tells the user to send a form again when it held files', async () => {
      const { jar, landing } = await postNeedingConsent(
        { subject: 'x' },
        { headers: { 'content-type': 'multipart/form-data; boundary=b' } },
      );
      const multipart = await navigate(`${target.url}${landing}`, { jar });
      expect(multipart.body).toMatch(/it included files, which are not kept during sign-in/);
    });

    it("never sends one user's kept form for another, even in the same browser", async () => {
      const { jar, landing } = await postNeedingConsent({ subject: 'from alice' });
      // Bob signs in in alice's browser session (the app's cookie; not alice's SSO at the emulator).
      const shared = new CookieJar();
      const [appSession] = (await jar.getCookies(target.url)).filter((c) => c.key === 'iw.sid');
      await shared.setCookie(appSession, target.url);
      await signInOverHttp(target.app, bob, { jar: shared });
      const forBob = await navigate(`${target.url}${landing}`, { jar: shared });
      expect(forBob.status).toBe(410);
      const bobElsewhere = await signInOverHttp(target.app, bob);
      expect((await navigate(`${target.url}${landing}`, { jar: bobElsewhere.jar })).status).toBe(410);
    });

    it('lands on the posting page, as before, when ResubmitFormPosts is off', async () => {
      const plain = await startApp(emulator(), { ResubmitFormPosts: false });
      try {
        const first = await signInOverHttp(plain.app, alice);
        const posted = await navigate(`${plain.url}/form`, {
          form: { subject: 'x' },
          jar: first.jar,
          headers: { referer: `${plain.url}/form` },
        });
        expect(new URL(posted.location!, plain.url).searchParams.get('returnUrl')).toBe('/form');
      } finally {
        await plain.close();
      }
    });
  });
});
