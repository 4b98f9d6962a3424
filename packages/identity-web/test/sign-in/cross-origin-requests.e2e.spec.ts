import { DEFAULT_USERS } from 'entra-emulator';
import { signInWithPage } from 'entra-emulator/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { useSignInBrowserSuite } from './emulator-browser.suite';
import { receivedPosts } from './sign-in-test.app';

/** Another origin's page that posts `note` to `action` on load, in the visitor's browser. */
function attackerServer(): Promise<{ port: number; server: Server; target: { action: string } }> {
  const target = { action: '' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(
      `<!doctype html><html><body><form id="f" method="post" action="${target.action}">` +
        `<input name="note" value="from-elsewhere"></form>` +
        `<script>document.getElementById('f').submit()</script></body></html>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, server, target }),
    ),
  );
}

describe('cross-origin requests with the session cookie are refused by default (unsafe methods)', () => {
  const env = useSignInBrowserSuite();
  let attacker: Awaited<ReturnType<typeof attackerServer>>;

  beforeAll(async () => {
    attacker = await attackerServer();
  });
  afterAll(() => new Promise<void>((resolve) => attacker.server.close(() => resolve())));
  beforeEach(() => {
    receivedPosts.length = 0;
  });

  async function signedInPage(): Promise<Page> {
    const page = await env.context.newPage();
    await signInWithPage(page, env.app.baseUrl, DEFAULT_USERS.alice, { startAt: '/profile' });
    return page;
  }

  /** Sends the signed-in browser to the other origin's page, which posts to `path`; the app's answer. */
  async function postFromElsewhere(page: Page, host: string, path: string): Promise<number> {
    attacker.target.action = `${env.app.baseUrl}${path}`;
    const answer = page.waitForResponse((r) => r.url() === `${env.app.baseUrl}${path}`);
    await page.goto(`http://${host}:${attacker.port}/`);
    return (await answer).status();
  }

  it('from another port of the same host (same site, so the Lax cookie is sent): 403, the handler never runs', async () => {
    const page = await signedInPage();
    expect(await postFromElsewhere(page, 'localhost', '/notes')).toBe(403);
    expect(await page.textContent('#message')).toMatch(/came from another site/);
    expect(receivedPosts).toEqual([]);
  });

  it('from another site the SameSite=Lax cookie is not even sent: 401, the handler never runs', async () => {
    const page = await signedInPage();
    expect(await postFromElsewhere(page, '127.0.0.1', '/notes')).toBe(401);
    expect(receivedPosts).toEqual([]);
  });

  it('a route marked @AllowCrossOrigin() accepts it', async () => {
    const page = await signedInPage();
    expect(await postFromElsewhere(page, 'localhost', '/partner-return')).toBe(201);
    expect(receivedPosts).toEqual([{ route: 'partner-return', note: 'from-elsewhere' }]);
  });

  it("the app's own page posts as before", async () => {
    const page = await signedInPage();
    const answer = page.waitForResponse((r) => r.url() === `${env.app.baseUrl}/notes`);
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/notes';
      form.innerHTML = '<input name="note" value="mine">';
      document.body.append(form);
      form.submit();
    });
    expect((await answer).status()).toBe(201);
    expect(receivedPosts).toEqual([{ route: 'notes', note: 'mine' }]);
  });
});
