import { createHash } from 'node:crypto';

import type { AccountInfo } from '@azure/msal-node';
import { CookieJar } from 'tough-cookie';

import { DEFAULT_APPS, DEFAULT_TENANT_ID, DEFAULT_USERS, GRAPH_RESOURCE, MFA_CODE } from '../src/index';
import { authorizeOverHttp, useEmulator } from '../src/testing';
import { webAppClient } from './support/msal-clients';
import { REDIRECT_URI, signInWithMsal, signInAndRedeem } from './support/msal-sign-in';
import { verifyToken } from './support/verify-token';

const { alice, bob } = DEFAULT_USERS;

describe('authorization code with PKCE through the sign-in pages (MSAL)', () => {
  const emu = useEmulator();

  const signIn = signInWithMsal;

  it('signs alice in, asks consent once, and issues verifiable ID and Graph access tokens', async () => {
    const jar = new CookieJar();
    const cca = webAppClient(emu());
    const first = await signIn(cca, jar, ['User.Read'], {
      username: alice.username,
      password: alice.password,
    });
    expect(first.result.pages).toEqual(['login', 'consent']);
    expect(first.result.consentScopes).toEqual(['openid', 'profile', 'offline_access', 'User.Read']);
    expect(first.result.params.get('state')).toBe(first.state);
    const tokens = await first.redeem();

    const idClaims = await verifyToken(emu(), tokens.idToken, {
      issuer: `${emu().authority}/v2.0`,
      audience: DEFAULT_APPS.webApp.clientId,
    });
    expect(idClaims).toMatchObject({
      ver: '2.0',
      tid: DEFAULT_TENANT_ID,
      oid: alice.oid,
      name: alice.displayName,
      preferred_username: alice.username,
      nonce: first.nonce,
      amr: ['pwd'],
    });
    const accessClaims = await verifyToken(emu(), tokens.accessToken, {
      issuer: `https://sts.windows.net/${DEFAULT_TENANT_ID}/`,
      audience: GRAPH_RESOURCE,
    });
    expect(accessClaims).toMatchObject({
      ver: '1.0',
      appid: DEFAULT_APPS.webApp.clientId,
      // Graph tokens list the OIDC scopes MSAL adds, as Entra's do; v1 tokens carry amr.
      scp: 'openid profile User.Read',
      upn: alice.username,
      amr: ['pwd'],
    });
    expect(tokens.account?.homeAccountId).toBe(`${alice.oid}.${DEFAULT_TENANT_ID}`);

    // Same browser again: the SSO cookie skips the form, and nothing new needs consent.
    const second = await signIn(cca, jar, ['User.Read'], {});
    expect(second.result.pages).toEqual([]);
    await expect(second.redeem()).resolves.toMatchObject({ uniqueId: alice.oid });
  });

  it('refreshes silently, and a never-granted scope fails with AADSTS65001 consent_required', async () => {
    const jar = new CookieJar();
    const cca = webAppClient(emu());
    const tokens = await signInAndRedeem(cca, jar, ['User.Read'], alice);
    const account = tokens.account as AccountInfo;

    emu().control.resetCounters();
    const refreshed = await cca.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(emu().control.counters().grantTypes).toEqual({ refresh_token: 1 });

    const err = await cca.acquireTokenSilent({ account, scopes: ['Mail.Send'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'consent_required',
      errorMessage: expect.stringContaining('AADSTS65001:'),
    });

    // Incremental consent lists only what is new.
    const more = await signIn(cca, jar, ['Mail.Send'], {});
    expect(more.result.consentScopes).toEqual(['Mail.Send']);
    const mail = await more.redeem();
    expect(mail.scopes).toEqual(expect.arrayContaining(['Mail.Send', 'User.Read']));
    await expect(
      cca.acquireTokenSilent({ account, scopes: ['Mail.Send'], forceRefresh: true }),
    ).resolves.toBeDefined();
  });

  it('sends access_denied with the state when the user cancels consent', async () => {
    const { result, state } = await signIn(webAppClient(emu()), new CookieJar(), ['User.Read'], {
      username: alice.username,
      password: alice.password,
      consent: 'refuse',
    });
    expect(result.url.origin + result.url.pathname).toBe(REDIRECT_URI);
    expect(result.params.get('error')).toBe('access_denied');
    expect(result.params.get('error_description')).toMatch(
      /^AADSTS65004: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(result.params.get('state')).toBe(state);
  });

  it('puts bob (MFA enrolled) through the MFA step and marks amr with mfa', async () => {
    const jar = new CookieJar();
    const { result, redeem } = await signIn(webAppClient(emu()), jar, ['User.Read'], {
      username: bob.username,
      password: bob.password,
      otp: MFA_CODE,
    });
    expect(result.pages).toEqual(['login', 'mfa', 'consent']);
    const tokens = await redeem();
    expect((tokens.idTokenClaims as { amr: string[] }).amr).toEqual(['pwd', 'mfa']);
  });

  it('posts the response with response_mode=form_post', async () => {
    const { result, state, redeem } = await signIn(
      webAppClient(emu()),
      new CookieJar(),
      ['User.Read'],
      { username: alice.username, password: alice.password },
      { responseMode: 'form_post' },
    );
    expect(result.url.href).toBe(REDIRECT_URI);
    expect(result.params.get('state')).toBe(state);
    await expect(redeem()).resolves.toMatchObject({ uniqueId: alice.oid });
  });

  it('refuses a reused code (AADSTS54005) and a wrong PKCE verifier (AADSTS501481)', async () => {
    const cca = webAppClient(emu());
    const jar = new CookieJar();
    const first = await signIn(cca, jar, ['User.Read'], {
      username: alice.username,
      password: alice.password,
    });
    await first.redeem();
    await expect(first.redeem()).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringContaining('AADSTS54005:'),
    });

    const second = await signIn(cca, jar, ['User.Read'], {});
    await expect(
      cca.acquireTokenByCode({
        code: second.result.params.get('code')!,
        scopes: ['User.Read'],
        redirectUri: REDIRECT_URI,
        codeVerifier: 'x'.repeat(43),
      }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringContaining('AADSTS501481:'),
    });
  });

  it('answers prompt=none without a session with login_required', async () => {
    const { result } = await signIn(
      webAppClient(emu()),
      new CookieJar(),
      ['User.Read'],
      {},
      { prompt: 'none' },
    );
    expect(result.params.get('error')).toBe('login_required');
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI', async () => {
    const url = new URL(`${emu().authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: DEFAULT_APPS.webApp.clientId,
      response_type: 'code',
      redirect_uri: 'https://evil.example/callback',
      scope: 'openid',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('AADSTS50011');
  });

  it.each([
    ['plain', 'a-plain-verifier-of-at-least-forty-three-characters-0123'],
    ['S256', 'an-s256-verifier-of-at-least-forty-three-characters-0123'],
  ])('accepts PKCE %s, as Entra does, and checks the verifier', async (method, verifier) => {
    const challenge =
      method === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
    emu().control.grantConsent(alice.username, DEFAULT_APPS.webApp.clientId, ['openid']);
    const url = new URL(`${emu().authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: DEFAULT_APPS.webApp.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: method,
    }).toString();
    const redeem = async (codeVerifier: string) => {
      const { params } = await authorizeOverHttp(url.toString(), alice);
      const res = await fetch(`${emu().authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: DEFAULT_APPS.webApp.clientId,
          client_secret: DEFAULT_APPS.webApp.clientSecret,
          code: params.get('code')!,
          redirect_uri: REDIRECT_URI,
          code_verifier: codeVerifier,
        }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await redeem(verifier)).toMatchObject({ status: 200, body: { id_token: expect.any(String) } });
    expect(await redeem(`${verifier}x`)).toMatchObject({ status: 400, body: { error_codes: [501481] } });
  });

  it('answers in the fragment for response_mode=fragment', async () => {
    emu().control.grantConsent(alice.username, DEFAULT_APPS.webApp.clientId, ['openid']);
    const url = new URL(`${emu().authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: DEFAULT_APPS.webApp.clientId,
      response_type: 'code',
      response_mode: 'fragment',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      state: 'st',
    }).toString();
    const { url: landed, params } = await authorizeOverHttp(url.toString(), alice);
    expect(landed.search).toBe('');
    expect(params.get('state')).toBe('st');
    expect(params.get('code')).toMatch(/^1\./);
  });
});
