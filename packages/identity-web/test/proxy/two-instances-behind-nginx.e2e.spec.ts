import { DEFAULT_USERS } from 'entra-emulator';
import {
  navigate,
  newTestContext,
  signInOverHttp,
  signInWithPage,
  useChromium,
} from 'entra-emulator/testing';
import type { Page, Response } from 'playwright-core';
import { SampleDeployment } from './sample-deployment';

const { alice } = DEFAULT_USERS;

/** An answer from the deployment, as the browser saw it. */
interface Answer {
  path: string;
  by: string;
  status: number;
}

describe('the sample web app as two processes behind nginx (TLS, round-robin, no sticky sessions), Redis for sessions and tokens, in Chromium', () => {
  const browser = useChromium();
  const deployment = new SampleDeployment('Redis');

  beforeAll(() => deployment.up(), 90_000);
  afterAll(() => deployment.down());

  it(
    'signs in, consents, goes through MFA, survives a killed instance and a restart of both, signs out',
    () =>
      deployment.explainFailures(async () => {
        const { emulator } = deployment;
        const app = deployment.proxy.url;
        const context = await newTestContext(browser(), { timeoutMs: 15_000 });
        // Only the journey's own requests go through the proxy: a favicon request would take a turn
        // in the round-robin at a moment the test does not control.
        await context.route('**/favicon.ico', (route) => route.fulfill({ status: 404 }));
        const page: Page = await context.newPage();
        const answers: Answer[] = [];
        page.on('response', (res: Response) => {
          const url = new URL(res.url());
          const by = res.headers()['x-instance-id'];
          if (url.origin === app && by)
            answers.push({ path: url.pathname + url.search, by, status: res.status() });
        });

        /**
         * Opens `path`, answers the emulator's pages and comes back to `path`; says which instance sent
         * the browser to the emulator and which one took the callback.
         */
        async function roundTrip(path: string) {
          const from = answers.length;
          const result = await signInWithPage(page, app, alice, { startAt: path });
          expect(result.url).toBe(`${app}${path}`);
          const seen = answers.slice(from);
          const callback = seen.findIndex((a) => a.path.startsWith('/signin-oidc?'));
          expect(callback).toBeGreaterThan(0);
          return { ...result, leftFrom: seen[callback - 1].by, callbackOn: seen[callback].by };
        }

        // Sign in: the instance that sends the browser to the emulator is not the one taking the callback.
        const signIn = await roundTrip('/profile?tab=2');
        expect(signIn.pages).toContain('login');
        expect(await page.textContent('#display-name')).toBe(alice.displayName);
        const cookie = (await context.cookies(app)).find((c) => c.name === 'iw.sid');
        expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });

        // Profile, a few times: round-robin spreads the pages over both instances.
        for (let i = 0; i < 4; i++) {
          await page.goto(`${app}/profile?tab=${i}`);
          expect(await page.textContent('#display-name')).toBe(alice.displayName);
        }

        // Incremental consent for mail: through the consent page and back to the URL with its query.
        const consent = await roundTrip('/emails?folder=inbox&top=3');
        expect(consent.consentScopes).toEqual(['Mail.Read']);
        expect(await page.locator('#messages li').count()).toBe(3);

        // A conditional-access policy now demands MFA for Graph: Graph refuses the mail token with a
        // claims challenge, the user does MFA and lands back on the URL with its query.
        emulator.control.setConditionalAccess({ resource: 'https://graph.microsoft.com', requireMfa: true });
        const mfa = await roundTrip('/emails?top=2');
        expect(mfa.pages).toEqual(['mfa']);
        expect(await page.locator('#messages li').count()).toBe(2);

        // No stickiness: every round trip came back through the other instance, and the answers alternated.
        for (const trip of [signIn, consent, mfa]) expect(trip.callbackOn).not.toBe(trip.leftFrom);
        const sequence = answers.map((a) => a.by);
        expect(sequence.filter((by, i) => i > 0 && by === sequence[i - 1])).toEqual([]);
        expect(new Set(sequence)).toEqual(new Set(['A', 'B']));

        // Instance A's process is killed (SIGKILL) mid-journey: the user goes on with B, not signed out.
        await deployment.kill('A');
        answers.length = 0;
        for (let i = 0; i < 3; i++) {
          await page.goto(`${app}/emails?top=1&after=a`);
          expect(page.url()).toBe(`${app}/emails?top=1&after=a`);
          expect(await page.locator('#messages li').count()).toBe(1);
        }
        expect(new Set(answers.map((a) => a.by))).toEqual(new Set(['B']));

        // Both restarted as new processes (Redis kept): no prompt (no authorize request, no emulator
        // page) and no token request: the MFA mail token still valid in Redis serves the new processes.
        await deployment.kill('B');
        await deployment.start('A');
        await deployment.start('B');
        const before = emulator.control.counters();
        answers.length = 0;
        for (let i = 0; i < 4; i++) {
          await page.goto(`${app}/emails?top=2&after=restart`);
          expect(page.url()).toBe(`${app}/emails?top=2&after=restart`);
          expect(await page.locator('#messages li').count()).toBe(2);
        }
        const after = emulator.control.counters();
        expect(after.endpoints.authorize).toBe(before.endpoints.authorize);
        expect(after.endpoints.token ?? 0).toBe(before.endpoints.token ?? 0);
        expect(new Set(answers.map((a) => a.by))).toEqual(new Set(['A', 'B']));

        // Sign out on one instance: the session ends on both.
        await page.goto(`${app}/account/signout`);
        await page.waitForURL((url) => url.origin === app);
        answers.length = 0;
        for (let i = 0; i < 2; i++) {
          await page.goto(`${app}/profile`);
          expect(new URL(page.url()).origin).toBe(emulator.baseUrl);
        }
        expect(new Set(answers.map((a) => a.by))).toEqual(new Set(['A', 'B']));
        await context.close();
      }),
    120_000,
  );
});

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
