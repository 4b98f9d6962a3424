import type { AccountInfo } from '@azure/msal-node';
import { CookieJar } from 'tough-cookie';

import { DEFAULT_APPS, DEFAULT_USERS, GRAPH_RESOURCE } from '../src/index';
import { authorizeOverHttp, useEmulator } from '../src/testing';
import { webAppClient } from './support/msal-clients';
import { REDIRECT_URI, signInAndRedeem } from './support/msal-sign-in';

const { alice, bob } = DEFAULT_USERS;
const { webApp } = DEFAULT_APPS;
const DAY = 24 * 3600;

/** The AADSTS codes Entra answers where it would: time-based ones provoked through the control API. */
describe('Entra error codes where Entra emits them', () => {
  const emu = useEmulator({ controlApi: true });

  async function tokenRequest(form: Record<string, string>) {
    const res = await fetch(`${emu().authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: webApp.clientId, client_secret: webApp.clientSecret, ...form }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  /** An authorize URL of the web app for `openid User.Read`. */
  const authorizeUrl = (extra: Record<string, string> = {}) => {
    const url = new URL(`${emu().authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: webApp.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid User.Read',
      ...extra,
    }).toString();
    return url.toString();
  };
  const password = (username: string, pass: string, scope = 'User.Read openid') =>
    tokenRequest({ grant_type: 'password', username, password: pass, scope });

  it('answers a refresh token unused for 90 days with AADSTS700082 (bad_token), after ageGrants', async () => {
    const cca = webAppClient(emu());
    const tokens = await signInAndRedeem(cca, new CookieJar(), ['User.Read'], alice);
    const account = tokens.account as AccountInfo;
    emu().control.ageGrants(89 * DAY, alice.username);
    await expect(
      cca.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true }),
    ).resolves.toBeTruthy();
    // The refresh above returned a new refresh token: age that one past 90 days, over HTTP.
    const aged = await fetch(`${emu().baseUrl}/_emulator/grants/age`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 91 * DAY, user: alice.username }),
    });
    expect(aged.status).toBe(204);
    await expect(
      cca.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true }),
    ).rejects.toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'bad_token',
      errorMessage: expect.stringContaining('AADSTS700082:'),
    });
  });

  it('answers a code older than ten minutes with AADSTS70008', async () => {
    emu().control.grantConsent(alice.username, webApp.clientId, ['openid', 'User.Read']);
    const { params } = await authorizeOverHttp(authorizeUrl(), alice);
    emu().control.ageGrants(11 * 60);
    const redeemed = await tokenRequest({
      grant_type: 'authorization_code',
      code: params.get('code')!,
      redirect_uri: REDIRECT_URI,
    });
    expect(redeemed).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [70008] } });
  });

  it('refuses ageGrants for an unknown user or a non-positive duration, naming what was wrong', () => {
    expect(() => emu().control.ageGrants(-1)).toThrow('seconds: expected a positive number');
    expect(() => emu().control.ageGrants(60, 'nobody@contoso.onmicrosoft.com')).toThrow(/AADSTS50034/);
  });

  it('answers the password grant: tokens for good credentials, AADSTS50126 for a wrong password, 50034 for an unknown user', async () => {
    emu().control.grantConsent(alice.username, webApp.clientId, ['User.Read', 'openid']);
    expect(await password(alice.username, alice.password)).toMatchObject({
      status: 200,
      body: { access_token: expect.any(String), id_token: expect.any(String) },
    });
    expect(await password(alice.username, 'wrong')).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_codes: [50126] },
    });
    expect(await password('nobody@contoso.onmicrosoft.com', 'x')).toMatchObject({
      body: { error: 'invalid_grant', error_codes: [50034] },
    });
  });

  it('answers MFA the password grant cannot do with AADSTS50076, and 50079 for a user without an MFA method', async () => {
    emu().control.grantConsent(bob.username, webApp.clientId, ['User.Read', 'openid']);
    expect(await password(bob.username, bob.password)).toMatchObject({
      body: { error: 'invalid_grant', error_codes: [50076], suberror: 'basic_action' },
    });
    const dave = emu().control.addUser({
      username: 'dave@contoso.onmicrosoft.com',
      password: 'pw',
      mfaRegistered: false,
    });
    emu().control.grantConsent(dave.username, webApp.clientId, ['User.Read', 'openid']);
    emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
    expect(await password(dave.username, 'pw')).toMatchObject({
      body: { error: 'invalid_grant', error_codes: [50079], suberror: 'basic_action' },
    });
  });

  it('asks a user without an MFA method to register one interactively (50079 with prompt=none), then treats it as registered', async () => {
    const dave = emu().control.addUser({
      username: 'dave@contoso.onmicrosoft.com',
      password: 'pw',
      mfaRegistered: false,
    });
    emu().control.grantConsent(dave.username, webApp.clientId, [
      'User.Read',
      'openid',
      'profile',
      'offline_access',
    ]);
    emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
    const jar = new CookieJar();
    const authorize = (prompt?: string) => authorizeUrl(prompt ? { prompt } : {});
    const stopped = await authorizeOverHttp(authorize(), dave, { jar, stopAt: 'mfa' });
    expect(stopped.html.mfa).toContain('More information required');
    const silent = await authorizeOverHttp(authorize('none'), dave, { jar });
    expect(silent.params.get('error_codes')).toBe('50079');
    const done = await authorizeOverHttp(authorize(), dave, { jar });
    expect(done.pages).toEqual(['mfa']);
    expect(emu().directory.findUser(dave.username)?.mfaRegistered).toBe(true);
  });
});
