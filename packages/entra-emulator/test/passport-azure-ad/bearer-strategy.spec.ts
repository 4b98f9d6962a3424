import type { INestApplication } from '@nestjs/common';
import { CookieJar } from 'tough-cookie';

import { DEFAULT_APPS, DEFAULT_TENANTS, DEFAULT_USERS } from '../../src/index';
import { useEmulator } from '../../src/testing';
import { webAppClient } from '../support/msal-clients';
import { signInAndRedeem } from '../support/msal-sign-in';
import { userTokenByPassword } from '../support/password-grant';
import { startBearerApi } from './passport-apps';

const { alice } = DEFAULT_USERS;
const { webApp, todoApi } = DEFAULT_APPS;
/** A custom API registered without an access-token version: Entra gives it v1 tokens. */
const LEGACY_API = { clientId: '2b3c4d5e-6f70-4a81-9b2c-3d4e5f6a7b8c', uri: 'api://legacy-api' };

/** passport-azure-ad 4.3.5's BearerStrategy (in a NestJS 12 app) validating the emulator's tokens. */
describe('passport-azure-ad BearerStrategy against the emulator', () => {
  const emu = useEmulator({ resetBeforeEach: false });
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  beforeAll(() => {
    emu().control.addApp({
      clientId: LEGACY_API.clientId,
      displayName: 'Legacy API',
      identifierUris: [LEGACY_API.uri],
      scopes: ['access_as_user'],
    });
    emu().control.grantConsent(alice.username, webApp.clientId, [
      `${LEGACY_API.uri}/access_as_user`,
      'api://todo-api/access_as_user',
    ]);
  });

  const userToken = (scope: string) => userTokenByPassword(emu(), scope);

  async function claimsFrom(app: INestApplication, token: string) {
    const res = await fetch(`${await app.getUrl()}/claims`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: res.status,
      body: res.status === 200 ? ((await res.json()) as Record<string, unknown>) : {},
    };
  }

  it('accepts the v1 token of an API without accessTokenVersion, against the v1 metadata document', async () => {
    const api = await startBearerApi({
      identityMetadata: `${emu().authority}/.well-known/openid-configuration`,
      clientID: LEGACY_API.clientId,
      audience: LEGACY_API.uri,
      validateIssuer: true,
    });
    apps.push(api);
    const token = await userToken(`${LEGACY_API.uri}/access_as_user`);
    expect(await claimsFrom(api, token)).toMatchObject({
      status: 200,
      body: {
        ver: '1.0',
        iss: `https://sts.windows.net/${emu().tenantId}/`,
        aud: LEGACY_API.uri,
        amr: ['pwd'],
      },
    });
  });

  it('accepts the v2 token of an API that asks for v2 against the v2 document, and refuses a v1 token there', async () => {
    const api = await startBearerApi({
      identityMetadata: `${emu().authority}/v2.0/.well-known/openid-configuration`,
      clientID: todoApi.clientId,
      audience: [todoApi.clientId, LEGACY_API.uri],
      validateIssuer: true,
      scope: ['access_as_user'],
    });
    apps.push(api);
    const v2 = await claimsFrom(api, await userToken('api://todo-api/access_as_user'));
    expect(v2).toMatchObject({
      status: 200,
      body: { ver: '2.0', aud: todoApi.clientId, scp: 'access_as_user' },
    });
    expect(v2.body).not.toHaveProperty('amr'); // v2 access tokens do not say how the user signed in
    expect((await claimsFrom(api, await userToken(`${LEGACY_API.uri}/access_as_user`))).status).toBe(401);
  });

  it("accepts a B2C user flow token with isB2C and the flow's ?p= metadata", async () => {
    const flow = 'B2C_1_signupsignin';
    const api = await startBearerApi({
      identityMetadata: `${emu().baseUrl}/${DEFAULT_TENANTS.contoso.domain}/v2.0/.well-known/openid-configuration`,
      clientID: todoApi.clientId,
      isB2C: true,
      policyName: flow,
      validateIssuer: true,
    });
    apps.push(api);
    const cca = webAppClient(emu(), {
      authority: `${emu().baseUrl}/tfp/${DEFAULT_TENANTS.contoso.domain}/${flow}`,
    });
    const tokens = await signInAndRedeem(cca, new CookieJar(), ['api://todo-api/access_as_user'], alice);
    expect(await claimsFrom(api, tokens.accessToken)).toMatchObject({
      status: 200,
      body: { iss: `${emu().authority}/v2.0/`, tfp: flow },
    });
  });
});
