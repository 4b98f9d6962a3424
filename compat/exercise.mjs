// What compat/run.mjs does in each installed app once it listens: alice signs in through the
// emulator's pages and reads Graph's /me through the packed packages.
/* global fetch, AbortSignal -- Node's globals; the lint config declares only a few */
import assert from 'node:assert/strict';
import { URL } from 'node:url';
import { CookieJar } from 'tough-cookie';

const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/**
 * Alice in a browser without JavaScript, through the packed `entra-emulator/testing`: signs in with
 * the app's own sign-in route and the emulator's real pages, then reads app URLs as `fetch` does,
 * following a `401 { challengeUrl }` answer through the emulator once. Keeps the pages shown.
 */
export function browser(kit, appUrl, alice) {
  const jar = new CookieJar();
  const pages = [];
  const signIn = async (options) => {
    const result = await kit.signInOverHttp(appUrl, alice, { jar, ...options });
    pages.push(...result.pages);
    return result;
  };
  const get = async (path) =>
    fetch(new URL(path, appUrl), {
      headers: { accept: 'application/json', cookie: await jar.getCookieString(appUrl) },
      signal: AbortSignal.timeout(30_000),
    });
  const json = async (path) => {
    let response = await get(path);
    if (response.status === 401) {
      const { challengeUrl } = await response.json();
      if (!challengeUrl) throw new Error(`${path} answered 401 without a challengeUrl`);
      await signIn({ startAt: challengeUrl });
      response = await get(path);
    }
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  return { jar, pages, signIn, get, json };
}

/**
 * Signs alice in and reads /me through each package the app uses: `DownstreamApiService` (or the
 * Express app's `identity.downstreamApi`), then for the Nest apps the Graph client and the Azure
 * credential. Returns how many ways /me was read.
 */
export async function exercise(app, user, alice) {
  const anonymous = await user.get('/me');
  assert.equal(anonymous.status, 401, 'GET /me without a session must answer 401 to a fetch caller');

  const signedIn = await user.signIn({ returnUrl: '/me' });
  assert.equal(signedIn.returnedTo, '/me', 'the sign-in should land back on /me');
  assert.ok(user.pages.includes('consent'), 'the first sign-in should have shown the consent page');
  const expected = { displayName: alice.displayName, userPrincipalName: alice.username };
  const routes = app.express ? ['/me'] : ['/me', '/graph/me'];
  for (const route of routes) {
    const body = await user.json(route);
    assert.deepEqual(
      { displayName: body?.displayName, userPrincipalName: body?.userPrincipalName },
      expected,
      `${route} answered ${JSON.stringify(body)}`,
    );
  }
  if (app.express) return routes.length;
  const token = await user.json('/azure/token');
  assert.deepEqual(
    token,
    { aud: GRAPH_RESOURCE, upn: alice.username },
    '/azure/token (MicrosoftIdentityTokenCredential)',
  );
  return routes.length + 1;
}
