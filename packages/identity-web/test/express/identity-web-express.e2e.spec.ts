import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { azureAdSettings, navigate, signInOverHttp, useEmulator } from 'entra-emulator/testing';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InMemoryTokenCacheStore,
  InvalidConfigurationError,
  OptionsValidationError,
  type IdentityWebError,
} from 'nest-identity-web';
import { createIdentityWeb, type IdentityWebExpress } from 'nest-identity-web/express';
import { userCacheKey } from '../../src/token-cache/partition-keys';

const { alice } = DEFAULT_USERS;
const { webApp } = DEFAULT_APPS;
const SECRET = 'an-express-test-session-secret-0000000';

describe('nest-identity-web/express: the library in a plain Express app', () => {
  const emulator = useEmulator({ controlApi: true });
  let identity: IdentityWebExpress;
  let store: InMemoryTokenCacheStore;
  let server: Server;
  let url: string;
  const posted: string[] = [];

  const settings = () => ({
    AzureAd: azureAdSettings(emulator(), webApp),
    DownstreamApis: { GraphAPI: { BaseUrl: `${emulator().baseUrl}/v1.0`, Scopes: ['User.Read'] } },
    IdentityWeb: { Session: { Secret: SECRET } },
  });

  beforeAll(async () => {
    store = new InMemoryTokenCacheStore();
    identity = createIdentityWeb(settings(), { store, logger: { warn: () => {} } });
    const app = express();
    app.use(identity.middleware());
    app.use(identity.requireSignIn({ allowAnonymous: ['/', '/Public/'] }));
    app.get('/', (req, res) => void res.send(identity.user(req) ? 'signed in' : 'anonymous'));
    app.get('/public', (_req, res) => void res.send('public'));
    app.get('/profile', async (_req, res) => {
      res.json(await identity.downstreamApi.getForUser('GraphAPI', { relativePath: 'me' }));
    });
    app.post('/notes', (req, res) => {
      posted.push(req.headers['sec-fetch-site'] ?? 'no header');
      res.send('saved');
    });
    app.get('/broken', () => {
      throw new Error('not the library');
    });
    app.use(identity.errorHandler());
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(`app handler: ${err.message}`);
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await identity.close();
  });

  it('lets anonymous users through the paths allowed, and sends them to sign in elsewhere', async () => {
    expect(await (await fetch(`${url}/`)).text()).toBe('anonymous');
    expect((await fetch(`${url}/public`)).status).toBe(200);
    const page = await navigate(`${url}/profile?tab=1`);
    expect(page.status).toBe(302);
    expect(page.location).toBe('/account/signin?returnUrl=%2Fprofile%3Ftab%3D1');
    const call = await fetch(`${url}/profile`, { headers: { accept: 'application/json' } });
    expect(call.status).toBe(401);
    expect(await call.json()).toMatchObject({
      error: 'no_user',
      signInUrl: expect.stringMatching(/^\/account\/signin\?returnUrl=/),
    });
  });

  it("signs in, calls Graph as the request's user, and signs out removing the user's tokens", async () => {
    emulator().control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    const { jar, returnedTo } = await signInOverHttp(url, alice, { returnUrl: '/profile' });
    expect(returnedTo).toBe('/profile');
    const profile = await navigate(`${url}/profile`, { jar });
    expect(JSON.parse(profile.body)).toMatchObject({ userPrincipalName: alice.username });
    const partition = userCacheKey(`${alice.oid}.${emulator().tenantId}`);
    expect(await store.get(partition)).toBeDefined();

    const signOut = await navigate(`${url}/account/signout`, {
      jar,
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin' }, // the app's own sign-out button
    });
    expect(signOut.status).toBe(302);
    expect(signOut.location).toContain(`${emulator().baseUrl}/`);
    expect(await store.get(partition)).toBeUndefined();
    expect((await navigate(`${url}/profile`, { jar })).status).toBe(302);
  });

  it("refuses a signed-in POST another origin sent before the app's route runs, as the module's guard does", async () => {
    emulator().control.grantConsent(alice.username, webApp.clientId, ['User.Read']);
    const { jar } = await signInOverHttp(url, alice, { returnUrl: '/' });
    posted.length = 0;
    for (const site of ['same-site', 'cross-site']) {
      const refused = await navigate(`${url}/notes`, {
        jar,
        method: 'POST',
        headers: { 'sec-fetch-site': site, accept: 'application/json' },
      });
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'cross_origin_request' });
    }
    expect(posted).toEqual([]); // the handler never ran
    const own = await navigate(`${url}/notes`, {
      jar,
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(200);
    expect(posted).toEqual(['same-origin']);
  });

  it('answers the account routes as the module does: a hostile return URL is a 400 page', async () => {
    const refused = await navigate(`${url}/account/signin?returnUrl=https%3A%2F%2Fevil.example%2F`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/<title>Invalid return address<\/title>/);
  });

  it("passes errors that are not the library's on to the app's own handler", async () => {
    const { jar } = await signInOverHttp(url, alice);
    const broken = await navigate(`${url}/broken`, { jar });
    expect(broken).toMatchObject({ status: 500, body: 'app handler: not the library' });
  });

  it('refuses a bad configuration before the app starts, naming the key', () => {
    const { ClientId: _missing, ...azureAd } = azureAdSettings(emulator(), webApp);
    let error: unknown;
    try {
      createIdentityWeb({ AzureAd: azureAd, IdentityWeb: { Session: { Secret: SECRET } } }, { env: {} });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OptionsValidationError);
    expect((error as IdentityWebError).message).toContain('AzureAd:ClientId');
    expect(() => identity.authorizeForScopes('DownstreamApis:Nope:Scopes')).toThrow(
      /DownstreamApis:Nope:Scopes/,
    );
    expect(() =>
      identity.authorizeForScopes({
        scopes: ['Mail.Read'],
        scopeKeySection: 'DownstreamApis:GraphAPI:Scopes',
      }),
    ).toThrow(InvalidConfigurationError);
  });
});
