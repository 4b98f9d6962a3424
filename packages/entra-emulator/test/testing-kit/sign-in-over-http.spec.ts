import { DEFAULT_APPS, DEFAULT_USERS } from '../../src/index';
import { navigate, signInOverHttp, useEmulator } from '../../src/testing';
import { useRelyingParties } from '../support/relying-party';

const { alice, bob } = DEFAULT_USERS;

describe('signInOverHttp: a signed-in cookie from an app that signs in with the emulator', () => {
  const emu = useEmulator();
  const { query: app, formPost: formPostApp } = useRelyingParties(emu);

  const me = (url: string, cookie: string) => fetch(`${url}/me`, { headers: { cookie } });

  it("signs alice in through the app's sign-in route and returns a cookie the app accepts", async () => {
    const signedIn = await signInOverHttp(app().url, alice, { returnUrl: '/protected?tab=2' });
    expect(signedIn).toMatchObject({
      appUrl: app().url,
      returnedTo: '/protected?tab=2',
      pages: ['login', 'consent'],
      consentScopes: ['openid', 'profile', 'offline_access', 'User.Read'],
    });
    expect(signedIn.cookie).toMatch(/(^|; )rp\.sid=/);
    const res = await me(app().url, signedIn.cookie);
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ username: alice.username });
    expect((await me(app().url, '')).status).toBe(401);
  });

  it('types the MFA code for an MFA-enrolled user', async () => {
    const signedIn = await signInOverHttp(app().url, bob);
    expect(signedIn.pages).toEqual(['login', 'mfa', 'consent']);
    await expect((await me(app().url, signedIn.cookie)).json()).resolves.toEqual({ username: bob.username });
  });

  it("reuses the emulator's SSO session and earlier consent through the jar", async () => {
    const first = await signInOverHttp(app().url, alice);
    const again = await signInOverHttp(app().url, alice, { jar: first.jar });
    expect(again.pages).toEqual([]);
    expect(again.cookie).not.toBe(first.cookie);
    expect((await me(app().url, again.cookie)).status).toBe(200);
  });

  it('signs in without a consent page when consent was granted up front', async () => {
    emu().control.grantConsent(alice.username, DEFAULT_APPS.webApp.clientId, [
      'openid',
      'profile',
      'offline_access',
      'User.Read',
    ]);
    const signedIn = await signInOverHttp(app().url, alice);
    expect(signedIn.pages).toEqual(['login']);
  });

  it('starts at a protected page and comes back to it', async () => {
    const signedIn = await signInOverHttp(app().url, alice, { startAt: '/protected' });
    expect(signedIn.returnedTo).toBe('/protected');
    const page = await navigate(`${app().url}/protected`, { jar: signedIn.jar });
    expect(page.body).toContain(`Hello ${alice.username}`);
  });

  it('delivers a form_post answer to the app as a POST', async () => {
    const signedIn = await signInOverHttp(formPostApp().url, alice);
    expect(signedIn.returnedTo).toBe('/');
    expect((await me(formPostApp().url, signedIn.cookie)).status).toBe(200);
  });

  it("returns the app's answer when consent is refused on purpose, with no signed-in session", async () => {
    const refused = await signInOverHttp(app().url, alice, { consent: 'refuse' });
    expect(refused.response.status).toBe(400);
    expect(refused.response.body).toContain('Sign-in failed: access_denied');
    expect((await me(app().url, refused.cookie)).status).toBe(401);
  });

  it('fails with the emulator’s error for a wrong password, naming the page', async () => {
    await expect(signInOverHttp(app().url, { ...alice, password: 'wrong' })).rejects.toMatchObject({
      name: 'SignInFlowError',
      page: 'login',
      message: expect.stringMatching(/AADSTS50126/),
    });
  });

  it('fails, instead of returning a useless cookie, when the app refuses the answer', async () => {
    const error = await signInOverHttp(app().url, alice, {
      startAt: '/signin-oidc?code=x&state=forged',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SignInFlowError', status: 400 });
    expect(String(error)).toContain('The app answered 400 at /signin-oidc: unknown state');
  });
});
