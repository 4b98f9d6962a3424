import { DEFAULT_USERS } from 'entra-emulator';
import { navigate, signInOverHttp, useChromium } from 'entra-emulator/testing';
import { BrowserJourney } from './browser-journey';
import { SampleDeployment } from './sample-deployment';

const { alice, bob } = DEFAULT_USERS;

/** The sealed session cookie must fit what browsers keep: 4,096 bytes of name and value, less a margin. */
const COOKIE_BUDGET = 4_000;

describe.each([
  { sessions: 'store', title: 'Redis for sessions and tokens' },
  { sessions: 'cookie', title: 'sessions sealed in the cookie (no session store), tokens in Redis' },
] as const)(
  'the sample web app as two processes behind nginx (TLS, round-robin, no sticky sessions), $title, in Chromium',
  ({ sessions }) => {
    const browser = useChromium();
    const deployment = new SampleDeployment('Redis', sessions);

    beforeAll(() => deployment.up(), 90_000);
    afterAll(() => deployment.down());

    it(
      'signs in, consents, goes through MFA, survives a killed instance and a restart of both, signs out',
      () =>
        deployment.explainFailures(async () => {
          const { emulator } = deployment;
          const app = deployment.proxy.url;
          const journey = await BrowserJourney.open(browser(), app);
          const { page } = journey;

          // Sign in: the instance that sends the browser to the emulator is not the one taking the callback.
          const signIn = await journey.roundTrip('/profile?tab=2');
          expect(signIn.pages).toContain('login');
          expect(await page.textContent('#display-name')).toBe(alice.displayName);
          const cookie = await journey.sessionCookie();
          expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });

          // Profile, a few times: round-robin spreads the pages over both instances.
          for (let i = 0; i < 4; i++) {
            await page.goto(`${app}/profile?tab=${i}`);
            expect(await page.textContent('#display-name')).toBe(alice.displayName);
          }

          // Incremental consent for mail: through the consent page and back to the URL with its query.
          const consent = await journey.roundTrip('/emails?folder=inbox&top=3');
          expect(consent.consentScopes).toEqual(['Mail.Read']);
          expect(await page.locator('#messages li').count()).toBe(3);

          // A conditional-access policy now demands MFA for Graph: Graph refuses the mail token with a
          // claims challenge, the user does MFA and lands back on the URL with its query.
          emulator.control.setConditionalAccess({
            resource: 'https://graph.microsoft.com',
            requireMfa: true,
          });
          const mfa = await journey.roundTrip('/emails?top=2');
          expect(mfa.pages).toEqual(['mfa']);
          expect(await page.locator('#messages li').count()).toBe(2);

          // No stickiness: every round trip came back through the other instance, and the answers alternated.
          for (const trip of [signIn, consent, mfa]) expect(trip.callbackOn).not.toBe(trip.leftFrom);
          const sequence = journey.answers.map((a) => a.by);
          expect(sequence.filter((by, i) => i > 0 && by === sequence[i - 1])).toEqual([]);
          expect(new Set(sequence)).toEqual(new Set(['A', 'B']));

          if (sessions === 'cookie') {
            // Every session cookie set so far (pending sign-ins, the user, the MFA round trip) was
            // Secure, HttpOnly, SameSite=Lax and within the budget; Redis holds tokens, no session.
            const set = await journey.sessionCookiesSet();
            expect(set.length).toBeGreaterThanOrEqual(6);
            for (const c of set)
              expect(c.attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax']));
            expect(Math.max(...set.map((c) => c.bytes))).toBeLessThanOrEqual(COOKIE_BUDGET);
            const kept = await journey.sessionCookie();
            expect(kept!.name.length + 1 + kept!.value.length).toBeLessThanOrEqual(COOKIE_BUDGET);
            const keys = await deployment.redisKeys();
            expect(keys.length).toBeGreaterThan(0);
            expect(keys.filter((k) => k.includes(':session:'))).toEqual([]);
          }

          // Instance A's process is killed (SIGKILL) mid-journey: the user goes on with B, not signed out.
          await deployment.kill('A');
          journey.forget();
          await journey.readMail('/emails?top=1&after=a', 1, 3);
          expect(journey.answeredBy()).toEqual(new Set(['B']));

          // Both restarted as new processes (Redis kept): no prompt (no authorize request, no emulator
          // page) and no token request: the MFA mail token still valid in Redis serves the new processes.
          await deployment.kill('B');
          await deployment.start('A');
          await deployment.start('B');
          const before = emulator.control.counters();
          journey.forget();
          await journey.readMail('/emails?top=2&after=restart', 2, 4);
          const after = emulator.control.counters();
          expect(after.endpoints.authorize).toBe(before.endpoints.authorize);
          expect(after.endpoints.token ?? 0).toBe(before.endpoints.token ?? 0);
          expect(journey.answeredBy()).toEqual(new Set(['A', 'B']));
          const beforeSignOut = await journey.sessionCookie();

          // Sign out on one instance: the session ends on both.
          await page.goto(`${app}/account/signout`);
          await page.waitForURL((url) => url.origin === app);
          if (sessions === 'cookie') expect(await journey.sessionCookie()).toBeUndefined();
          journey.forget();
          for (let i = 0; i < 2; i++) {
            await page.goto(`${app}/profile`);
            expect(new URL(page.url()).origin).toBe(emulator.baseUrl);
          }
          expect(journey.answeredBy()).toEqual(new Set(['A', 'B']));

          if (sessions === 'cookie') {
            // A copy of the cookie taken before sign-out still opens (nothing on the server to revoke),
            // but its user's tokens are gone from Redis: the profile sends it to sign in on both instances.
            await journey.context.clearCookies();
            await journey.context.addCookies([beforeSignOut!]);
            journey.forget();
            for (let i = 0; i < 2; i++) {
              await page.goto(`${app}/profile`);
              expect(new URL(page.url()).origin).toBe(emulator.baseUrl);
            }
            expect(journey.answeredBy()).toEqual(new Set(['A', 'B']));
          }
          await journey.context.close();
        }),
      120_000,
    );

    it('keeps a mail written before consent for Mail.Send during the round trip and sends it once', () =>
      deployment.explainFailures(async () => {
        const { emulator } = deployment;
        const app = deployment.proxy.url;
        const journey = await BrowserJourney.open(browser(), app);
        await journey.roundTrip('/compose');
        journey.forget();
        const body = 'News from the team, line after line. '.repeat(20); // 740 characters
        const mail = { to: bob.username, subject: 'Across both instances', body };
        const trip = await journey.postNeedingConsent(mail, '#send', '/compose?sent=1');
        expect(trip.consentScopes).toEqual(['Mail.Send']);
        expect(await journey.page.textContent('#sent')).toBe('Sent.');
        const sent = emulator.control.sentMail(alice.username).map((m) => m.message);
        expect(sent).toEqual([
          expect.objectContaining({ subject: mail.subject, body: { contentType: 'Text', content: body } }),
        ]);
        expect(journey.answeredBy()).toEqual(new Set(['A', 'B']));
        if (sessions === 'cookie') {
          const set = await journey.sessionCookiesSet();
          expect(Math.max(...set.map((c) => c.bytes))).toBeLessThanOrEqual(COOKIE_BUDGET);
        }
        await journey.context.close();
      }));

    it(`${sessions === 'cookie' ? 'tells the user to send again' : 'sends'} a 3,000-character mail that needed consent`, () =>
      deployment.explainFailures(async () => {
        const { emulator } = deployment;
        // Bob: Alice's Mail.Send token from the test above is in Redis still.
        const journey = await BrowserJourney.open(browser(), deployment.proxy.url, bob);
        await journey.roundTrip('/compose');
        const mail = {
          to: alice.username,
          subject: 'A long one',
          body: 'Every detail of the plan. '.repeat(120),
        };
        if (sessions === 'store') {
          await journey.postNeedingConsent(mail, '#send', '/compose?sent=1');
          expect(emulator.control.sentMail(bob.username).map((m) => m.message.subject)).toEqual([
            mail.subject,
          ]);
        } else {
          // The cookie cannot hold the body next to the user and the pending sign-in: the library
          // drops the body, not the session, and the user learns that nothing was sent.
          await journey.postNeedingConsent(mail, '#send', /\/account\/resubmit\?id=/);
          expect(await journey.page.textContent('#message')).toMatch(/not sent: it was too large/);
          expect(emulator.control.sentMail(bob.username)).toEqual([]);
          const set = await journey.sessionCookiesSet();
          expect(Math.max(...set.map((c) => c.bytes))).toBeLessThanOrEqual(COOKIE_BUDGET);
        }
        await journey.context.close();
      }));
  },
);

describe('the sample web app as two processes behind nginx with PostgreSQL as the only store (HTTP cookie jar)', () => {
  const deployment = new SampleDeployment('Postgres');

  beforeAll(() => deployment.up(), 90_000);
  afterAll(() => deployment.down());

  it(
    'signs in, spreads pages over both instances, survives a killed one and a restart of both, signs out',
    () =>
      deployment.explainFailures(async () => {
        const { emulator } = deployment;
        const app = deployment.proxy.url;
        const signedIn = await signInOverHttp(app, alice, { returnUrl: '/profile?tab=2' });
        expect(signedIn.returnedTo).toBe('/profile?tab=2');
        const setCookie = signedIn.response.headers['set-cookie']?.find((c) => c.startsWith('iw.sid=')) ?? '';
        for (const flag of ['Secure', 'HttpOnly', 'SameSite=Lax'])
          expect(setCookie.split('; ')).toContain(flag);
        const { jar } = signedIn;
        const html = { accept: 'text/html' };
        const answeredBy = new Set<string>();
        for (let i = 0; i < 4; i++) {
          const res = await navigate(`${app}/profile?tab=${i}`, { jar, headers: html });
          expect(res.status).toBe(200);
          expect(res.body).toContain(alice.displayName);
          answeredBy.add(String(res.headers['x-instance-id']));
        }
        expect(answeredBy).toEqual(new Set(['A', 'B']));

        await deployment.kill('A');
        const onB = await navigate(`${app}/profile`, { jar, headers: html });
        expect({ status: onB.status, by: onB.headers['x-instance-id'] }).toEqual({ status: 200, by: 'B' });

        await deployment.kill('B');
        await deployment.start('A');
        await deployment.start('B');
        const before = emulator.control.counters().endpoints.token ?? 0;
        for (let i = 0; i < 2; i++) {
          const afterRestart = await navigate(`${app}/profile`, { jar, headers: html });
          expect(afterRestart.status).toBe(200);
          expect(afterRestart.body).toContain(alice.displayName);
        }
        expect(emulator.control.counters().endpoints.token ?? 0).toBe(before);

        const signOut = await navigate(`${app}/account/signout`, { jar, headers: html });
        expect(signOut.status).toBe(302);
        for (let i = 0; i < 2; i++) {
          const res = await navigate(`${app}/profile`, { jar, headers: html });
          expect(res.status).toBe(302);
        }
      }),
    120_000,
  );
});
