import { CookieJar } from 'tough-cookie';

import { DEFAULT_APPS, DEFAULT_TENANTS, DEFAULT_USERS } from '../src/index';
import { authorizeOverHttp, navigate, useEmulator } from '../src/testing';
import { webAppClient } from './support/msal-clients';
import { REDIRECT_URI, signInWithMsal, signInAndRedeem } from './support/msal-sign-in';
import { webAppClientCredentialsForm } from './support/client-credentials-form';
import { verifyToken } from './support/verify-token';

const { alice, carol } = DEFAULT_USERS;

describe('sign-out, user flows and tenants', () => {
  const emu = useEmulator();

  it('ends the SSO session and returns to a registered post-logout URI with the state', async () => {
    const jar = new CookieJar();
    const cca = webAppClient(emu());
    const tokens = await signInAndRedeem(cca, jar, ['User.Read'], alice);

    const logout = new URL(`${emu().authority}/oauth2/v2.0/logout`);
    logout.search = new URLSearchParams({
      post_logout_redirect_uri: 'http://localhost:3000/',
      id_token_hint: tokens.idToken,
      state: 'bye',
    }).toString();
    const res = await navigate(logout, { jar });
    expect(res.status).toBe(302);
    expect(res.location).toBe('http://localhost:3000/?state=bye');
    expect(await jar.getCookieString(emu().baseUrl)).toBe('');

    const again = await signInWithMsal(cca, jar, ['User.Read'], {});
    expect(again.result.pages).toEqual(['login']);
  });

  it('shows a signed-out page for an unregistered post-logout URI', async () => {
    const res = await fetch(
      `${emu().authority}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('signed-out');
  });

  it('runs a B2C-style user flow: tfp authority, flow in the tokens and in client_info', async () => {
    const flow = 'B2C_1_signupsignin';
    const authority = `${emu().baseUrl}/tfp/${DEFAULT_TENANTS.contoso.domain}/${flow}`;
    const cca = webAppClient(emu(), { authority });
    const tokens = await signInAndRedeem(cca, new CookieJar(), ['openid'], alice);
    // B2C's issuer ends with a slash; its sub is the object id.
    const claims = await verifyToken(emu(), tokens.idToken, {
      issuer: `${emu().authority}/v2.0/`,
      audience: DEFAULT_APPS.webApp.clientId,
    });
    expect(claims).toMatchObject({ tfp: flow, sub: alice.oid });
    expect(tokens.account?.homeAccountId).toBe(
      `${alice.oid}-${flow.toLowerCase()}.${DEFAULT_TENANTS.contoso.id}`,
    );
  });

  it.each([
    [
      'the flow in the path',
      (flow: string) => `${DEFAULT_TENANTS.contoso.id}/${flow}/v2.0/.well-known/openid-configuration`,
      '/b2c_1_signupsignin/oauth2/v2.0/',
      '',
    ],
    [
      '?p=<flow>',
      (flow: string) => `${DEFAULT_TENANTS.contoso.domain}/v2.0/.well-known/openid-configuration?p=${flow}`,
      '/oauth2/v2.0/',
      '?p=b2c_1_signupsignin',
    ],
  ])("serves a user flow's metadata in B2C's shape, with %s", async (_name, path, infix, suffix) => {
    const doc = (await (await fetch(`${emu().baseUrl}/${path('B2C_1_signupsignin')}`)).json()) as Record<
      string,
      string
    >;
    const prefix = `${emu().baseUrl}/${DEFAULT_TENANTS.contoso.domain}${infix}`;
    expect(doc).toMatchObject({
      issuer: `${emu().authority}/v2.0/`,
      authorization_endpoint: `${prefix}authorize${suffix}`,
      token_endpoint: `${prefix}token${suffix}`,
      end_session_endpoint: `${prefix}logout${suffix}`,
    });
    expect(doc).not.toHaveProperty('userinfo_endpoint');
    // The endpoints it names work, the query form included.
    expect((await fetch(doc.jwks_uri)).status).toBe(200);
    const token = await fetch(doc.token_endpoint, { method: 'POST', body: webAppClientCredentialsForm() });
    expect(token.status).toBe(200);
  });

  it.each(['/_signin/mfa', '/_signin/consent'])(
    'answers %s posted before anyone signed in with the sign-in form, never silence',
    async (step) => {
      const cca = webAppClient(emu());
      const jar = new CookieJar();
      const login = await authorizeOverHttp(
        await cca.getAuthCodeUrl({
          scopes: ['openid'],
          redirectUri: REDIRECT_URI,
          codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          codeChallengeMethod: 'S256',
        }),
        alice,
        { jar, stopAt: 'login' },
      );
      const answer = await navigate(`${emu().baseUrl}${step}`, {
        jar,
        form: { tx: login.params.get('tx')!, otp: '123456', decision: 'accept' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('name="username"');
    },
  );

  it('offers "Forgot your password?" in a sign-up-sign-in flow and answers AADB2C90118 to the app', async () => {
    const flow = 'B2C_1_signupsignin';
    const cca = webAppClient(emu(), {
      authority: `${emu().baseUrl}/tfp/${DEFAULT_TENANTS.contoso.domain}/${flow}`,
    });
    const authUrl = await cca.getAuthCodeUrl({
      scopes: ['openid'],
      redirectUri: REDIRECT_URI,
      state: 'st',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
    });
    const jar = new CookieJar();
    const login = await authorizeOverHttp(authUrl, alice, { jar, stopAt: 'login' });
    expect(login.html.login).toContain('id="forgot-password"');
    const fields = new URLSearchParams(login.params);
    fields.set('action', 'forgot-password');
    const answer = await navigate(login.url, { jar, form: fields });
    const back = new URL(answer.location!);
    expect(back.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('error_description')).toMatch(
      /^AADB2C90118: The user has forgotten their password\./,
    );
    expect(back.searchParams.get('state')).toBe('st');

    // The reset flow itself does not offer it.
    const reset = webAppClient(emu(), {
      authority: `${emu().baseUrl}/tfp/${DEFAULT_TENANTS.contoso.domain}/B2C_1_passwordreset`,
    });
    const resetPage = await authorizeOverHttp(
      await reset.getAuthCodeUrl({
        scopes: ['openid'],
        redirectUri: REDIRECT_URI,
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        codeChallengeMethod: 'S256',
      }),
      alice,
      { stopAt: 'login' },
    );
    expect(resetPage.html.login).not.toContain('forgot-password');
  });

  it('signs a guest from another tenant in through organizations, with tokens from the app tenant', async () => {
    const cca = webAppClient(emu(), { authority: `${emu().baseUrl}/organizations` });
    const tokens = await signInAndRedeem(cca, new CookieJar(), ['User.Read'], carol);
    expect(tokens.tenantId).toBe(DEFAULT_TENANTS.contoso.id);
    expect((tokens.idTokenClaims as { idp?: string }).idp).toBe(
      `https://sts.windows.net/${DEFAULT_TENANTS.fabrikam.id}/`,
    );
  });

  it('refuses a user from a tenant the single-tenant app does not serve (AADSTS50020)', async () => {
    emu().control.addUser({
      username: 'dave@fabrikam.onmicrosoft.com',
      password: 'x',
      tenantId: DEFAULT_TENANTS.fabrikam.id,
    });
    const signIn = signInWithMsal(
      webAppClient(emu(), { authority: `${emu().baseUrl}/organizations` }),
      new CookieJar(),
      ['User.Read'],
      { username: 'dave@fabrikam.onmicrosoft.com', password: 'x' },
    );
    await expect(signIn).rejects.toMatchObject({
      name: 'SignInFlowError',
      message: expect.stringContaining('AADSTS50020'),
      html: expect.stringContaining('AADSTS50020'),
    });
  });
});
