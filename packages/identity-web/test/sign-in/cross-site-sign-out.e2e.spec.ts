import { DEFAULT_USERS } from 'entra-emulator';
import { signInWithPage } from 'entra-emulator/testing';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Response } from 'playwright-core';
import { useSignInBrowserSuite } from './emulator-browser.suite';
import { signedInSessions } from './session-store';

const alice = DEFAULT_USERS.alice;

/** Another origin's page that sends the visitor's browser to `action` on load. */
function attackerServer(): Promise<{
  port: number;
  server: Server;
  target: { action: string; method: string };
}> {
  const target = { action: '', method: 'post' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(
      `<!doctype html><html><body><form id="f" method="${target.method}" action="${target.action}"></form>` +
        `<script>document.getElementById('f').submit()</script></body></html>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, server, target }),
    ),
  );
}

/** A POST with the browser's cookie and neither `Origin` nor `Sec-Fetch-Site`, as an old client sends it. */
function bareRequest(
  url: string,
  cookie: string,
  body = '',
  method = 'POST',
): Promise<{ status: number; location?: string; setCookie?: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            setCookie: res.headers['set-cookie'],
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-out asked for by another origin changes nothing', () => {
  const env = useSignInBrowserSuite();
  let attacker: Awaited<ReturnType<typeof attackerServer>>;

  beforeAll(async () => {
    attacker = await attackerServer();
  });
  afterAll(() => new Promise<void>((resolve) => attacker.server.close(() => resolve())));

  async function signedIn(): Promise<void> {
    const page = await env.context.newPage();
    await signInWithPage(page, env.app.baseUrl, alice, { startAt: '/profile' });
    expect(await page.title()).toBe('Profile');
    await page.close();
  }

  /** The app's answer to the next sign-out POST of the page. */
  function signOutAnswer(page: Page): Promise<Response> {
    return page.waitForResponse(
      (r) => r.url().startsWith(`${env.app.baseUrl}/account/signout`) && r.request().method() === 'POST',
    );
  }

  async function expectStillSignedIn(): Promise<void> {
    expect(await signedInSessions(env.store)).toHaveLength(1);
    const cookies = await env.context.cookies(env.app.baseUrl);
    expect(cookies.map((c) => c.name)).toContain('iw.sid');
    const page = await env.context.newPage();
    await page.goto(`${env.app.baseUrl}/profile`);
    expect(page.url()).toBe(`${env.app.baseUrl}/profile`);
    expect(await page.textContent('#name')).toBe(alice.displayName);
    await page.close();
  }

  it.each([
    ['another port of the same host (same site, another origin)', 'localhost', 'post'],
    ['another site', '127.0.0.1', 'post'],
    ['another site, by a link (GET)', '127.0.0.1', 'get'],
  ])('from %s: 403 confirmation page, no cookie cleared, the session kept', async (_n, host, method) => {
    await signedIn();
    attacker.target.action = `${env.app.baseUrl}/account/signout`;
    attacker.target.method = method;
    const page = await env.context.newPage();
    const responses: Response[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${env.app.baseUrl}/account/signout`)) responses.push(r);
    });
    // Registered after the listener above, so once it resolves the response has been recorded
    // (waiting for the URL alone could resolve before the response event).
    const answered = page.waitForResponse((r) => r.url().startsWith(`${env.app.baseUrl}/account/signout`));
    await page.goto(`http://${host}:${attacker.port}/`);
    await page.waitForURL((url) => url.href.startsWith(`${env.app.baseUrl}/account/signout`));
    await answered;
    await page.waitForLoadState();
    const answers = await Promise.all(
      responses.map(async (r) => ({ status: r.status(), setCookie: await r.headerValue('set-cookie') })),
    );
    expect(answers).toEqual([{ status: 403, setCookie: null }]);
    expect(await page.title()).toBe('Sign out?');
    await expectStillSignedIn();
    // Its button is the user's own, same-origin request: that one signs out.
    const [signOut] = await Promise.all([signOutAnswer(page), page.click('#sign-out')]);
    expect(signOut.status()).toBe(302);
    expect(await signedInSessions(env.store)).toHaveLength(0);
  });

  it('without Origin or Fetch Metadata, a POST needs the confirmation page token', async () => {
    await signedIn();
    const [sid] = await env.context
      .cookies(env.app.baseUrl)
      .then((c) => c.filter((x) => x.name === 'iw.sid'));
    const cookie = `iw.sid=${sid.value}`;
    const refused = await bareRequest(`${env.app.baseUrl}/account/signout`, cookie);
    expect(refused.status).toBe(403);
    expect(refused.setCookie).toBeUndefined();
    expect(await signedInSessions(env.store)).toHaveLength(1);
    const forged = await bareRequest(`${env.app.baseUrl}/account/signout`, cookie, 'signOutToken=forged');
    expect(forged.status).toBe(403);
    expect(await signedInSessions(env.store)).toHaveLength(1);
    const token = /name="signOutToken" value="([^"]+)"/.exec(refused.text)![1];
    const done = await bareRequest(`${env.app.baseUrl}/account/signout`, cookie, `signOutToken=${token}`);
    expect(done.status).toBe(302);
    expect(done.location).toMatch(/\/oauth2\/v2\.0\/logout\?/);
    expect(await signedInSessions(env.store)).toHaveLength(0);
  });

  it('a same-origin form post signs out', async () => {
    await signedIn();
    const page = await env.context.newPage();
    await page.goto(`${env.app.baseUrl}/`);
    const answer = signOutAnswer(page);
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/account/signout';
      document.body.append(form);
      form.submit();
    });
    expect((await answer).status()).toBe(302);
    expect(await signedInSessions(env.store)).toHaveLength(0);
  });
});
