import { CookieJar } from 'tough-cookie';

import {
  DEFAULT_APPS,
  DEFAULT_TENANT_ID,
  DEFAULT_USERS,
  GRAPH_RESOURCE,
  STORAGE_RESOURCE,
} from '../src/index';
import { useEmulator } from '../src/testing';
import { webAppClient } from './support/msal-clients';
import { REDIRECT_URI, signInWithMsal, signInAndRedeem } from './support/msal-sign-in';
import { verifyToken } from './support/verify-token';

const { alice } = DEFAULT_USERS;
const web = DEFAULT_APPS.webApp;
const ENTRA_DESCRIPTION =
  /^AADSTS\d+: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: /s;

describe('authorize: prompt, hints, Storage tokens and client_info', () => {
  const emu = useEmulator();

  /** A browser with alice's SSO session, after she consented to User.Read. */
  async function aliceSession(cca = webAppClient(emu())): Promise<CookieJar> {
    const jar = new CookieJar();
    await signInAndRedeem(cca, jar, ['User.Read'], alice);
    return jar;
  }

  describe('prompt=none answers the redirect URI instead of showing a page', () => {
    it('login_required without a session', async () => {
      const { result, state } = await signInWithMsal(
        webAppClient(emu()),
        new CookieJar(),
        ['User.Read'],
        {},
        {
          prompt: 'none',
        },
      );
      expect(result.pages).toEqual([]);
      expect(result.params.get('error')).toBe('login_required');
      expect(result.params.get('error_description')).toMatch(ENTRA_DESCRIPTION);
      expect(result.params.get('state')).toBe(state);
    });

    it('consent_required when the session is there but a scope was never granted', async () => {
      const cca = webAppClient(emu());
      const jar = await aliceSession(cca);
      const { result } = await signInWithMsal(cca, jar, ['Mail.Read'], {}, { prompt: 'none' });
      expect(result.pages).toEqual([]);
      expect(result.params.get('error')).toBe('consent_required');
      expect(result.params.get('error_description')).toMatch(/^AADSTS65001: /);
    });

    it('interaction_required when a policy needs MFA the session does not have', async () => {
      const cca = webAppClient(emu());
      const jar = await aliceSession(cca);
      emu().control.setConditionalAccess({ resource: GRAPH_RESOURCE, requireMfa: true });
      const { result } = await signInWithMsal(cca, jar, ['User.Read'], {}, { prompt: 'none' });
      expect(result.params.get('error')).toBe('interaction_required');
      expect(result.params.get('error_description')).toMatch(/^AADSTS50076: /);
    });

    it('a code when the session and consent suffice', async () => {
      const cca = webAppClient(emu());
      const jar = await aliceSession(cca);
      const silent = await signInWithMsal(cca, jar, ['User.Read'], {}, { prompt: 'none' });
      expect(silent.result.pages).toEqual([]);
      await expect(silent.redeem()).resolves.toMatchObject({ uniqueId: alice.oid });
    });
  });

  it('prompt=login shows the sign-in form despite the SSO session', async () => {
    const cca = webAppClient(emu());
    const jar = await aliceSession(cca);
    const again = await signInWithMsal(
      cca,
      jar,
      ['User.Read'],
      { username: alice.username, password: alice.password },
      { prompt: 'login' },
    );
    expect(again.result.pages).toEqual(['login']);
    await expect(again.redeem()).resolves.toMatchObject({ uniqueId: alice.oid });
  });

  it('prompt=consent shows the consent page again, listing scopes already granted', async () => {
    const cca = webAppClient(emu());
    const jar = await aliceSession(cca);
    const again = await signInWithMsal(cca, jar, ['User.Read'], {}, { prompt: 'consent' });
    expect(again.result.pages).toEqual(['consent']);
    expect(again.result.consentScopes).toEqual(expect.arrayContaining(['openid', 'User.Read']));
    await expect(again.redeem()).resolves.toMatchObject({ uniqueId: alice.oid });
  });

  it('prefills the username from login_hint', async () => {
    const { result } = await signInWithMsal(
      webAppClient(emu()),
      new CookieJar(),
      ['User.Read'],
      {},
      { loginHint: alice.username },
    );
    expect(result.url.pathname).toBe('/_signin/login');
    expect(result.params.get('username')).toBe(alice.username);
  });

  it('accepts domain_hint and signs in as usual', async () => {
    const { result, redeem } = await signInWithMsal(
      webAppClient(emu()),
      new CookieJar(),
      ['User.Read'],
      { username: alice.username, password: alice.password },
      { domainHint: 'contoso.onmicrosoft.com' },
    );
    expect(result.pages).toEqual(['login', 'consent']);
    await expect(redeem()).resolves.toMatchObject({ uniqueId: alice.oid });
  });

  it('issues v1 tokens for Azure Storage (sts.windows.net issuer, storage audience, ver 1.0)', async () => {
    const tokens = await signInAndRedeem(
      webAppClient(emu()),
      new CookieJar(),
      [`${STORAGE_RESOURCE}/user_impersonation`],
      alice,
    );
    const claims = await verifyToken(emu(), tokens.accessToken, {
      issuer: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
      audience: 'https://storage.azure.com',
    });
    expect(claims).toMatchObject({
      ver: '1.0',
      scp: 'user_impersonation',
      appid: web.clientId,
      tid: DEFAULT_TENANT_ID,
      oid: alice.oid,
    });
  });

  it('returns client_info on a refresh when asked (client_info=1), as MSAL asks', async () => {
    const signIn = await signInWithMsal(webAppClient(emu()), new CookieJar(), ['User.Read'], {
      username: alice.username,
      password: alice.password,
    });
    const token = (form: Record<string, string>) =>
      fetch(`${emu().authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: web.clientId, client_secret: web.clientSecret, ...form }),
      }).then((res) => res.json() as Promise<Record<string, string>>);
    const code = await token({
      grant_type: 'authorization_code',
      code: signIn.result.params.get('code')!,
      redirect_uri: REDIRECT_URI,
      code_verifier: signIn.pkce.verifier,
      scope: 'User.Read openid offline_access',
    });
    expect(code.refresh_token).toEqual(expect.any(String));

    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: code.refresh_token,
      scope: 'User.Read openid offline_access',
      client_info: '1',
    });
    expect(JSON.parse(Buffer.from(refreshed.client_info, 'base64url').toString())).toEqual({
      uid: alice.oid,
      utid: DEFAULT_TENANT_ID,
    });
    const without = await token({
      grant_type: 'refresh_token',
      refresh_token: refreshed.refresh_token,
      scope: 'User.Read openid offline_access',
    });
    expect(without.client_info).toBeUndefined();
  });
});
