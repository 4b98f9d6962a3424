import { CookieJar } from 'tough-cookie';

import { DEFAULT_APPS, DEFAULT_TENANT_ID, DEFAULT_USERS, GRAPH_RESOURCE } from '../src/index';
import { useEmulator } from '../src/testing';
import { appClient } from './support/msal-clients';
import { signInAndRedeem } from './support/msal-sign-in';
import { verifyToken } from './support/verify-token';

const { alice } = DEFAULT_USERS;

describe('on-behalf-of (MSAL)', () => {
  const emu = useEmulator();

  async function todoApiToken(): Promise<string> {
    const web = appClient(emu(), DEFAULT_APPS.webApp);
    const tokens = await signInAndRedeem(web, new CookieJar(), ['api://todo-api/access_as_user'], alice);
    const claims = await verifyToken(emu(), tokens.accessToken, {
      issuer: `${emu().authority}/v2.0`,
      audience: DEFAULT_APPS.todoApi.clientId,
    });
    expect(claims).toMatchObject({
      ver: '2.0',
      scp: 'access_as_user',
      azp: DEFAULT_APPS.webApp.clientId,
      oid: alice.oid,
    });
    return tokens.accessToken;
  }

  it('exchanges the todo API token for a Graph token once alice consented to the API calling Graph', async () => {
    const assertion = await todoApiToken();
    const api = appClient(emu(), DEFAULT_APPS.todoApi);

    await expect(
      api.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['User.Read'] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      subError: 'consent_required',
      errorMessage: expect.stringContaining('AADSTS65001:'),
    });

    emu().control.grantConsent(alice.username, DEFAULT_APPS.todoApi.clientId, ['User.Read']);
    const result = await api.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['User.Read'] });
    const claims = await verifyToken(emu(), result!.accessToken, {
      issuer: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
      audience: GRAPH_RESOURCE,
    });
    expect(claims).toMatchObject({
      oid: alice.oid,
      appid: DEFAULT_APPS.todoApi.clientId,
      scp: 'openid profile User.Read',
    });
  });

  it('refuses an assertion issued for another audience (AADSTS500131) or tampered with (AADSTS50013)', async () => {
    const assertion = await todoApiToken();
    emu().control.grantConsent(alice.username, DEFAULT_APPS.webApp.clientId, ['User.Read']);
    await expect(
      appClient(emu(), DEFAULT_APPS.webApp).acquireTokenOnBehalfOf({
        oboAssertion: assertion,
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringContaining('AADSTS500131:'),
    });

    const [header, payload] = assertion.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
    await expect(
      appClient(emu(), DEFAULT_APPS.todoApi).acquireTokenOnBehalfOf({
        oboAssertion: forged,
        scopes: ['User.Read'],
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringContaining('AADSTS50013:'),
    });
  });
});
