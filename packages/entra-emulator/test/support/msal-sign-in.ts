import { CryptoProvider, type AuthenticationResult } from '@azure/msal-node';

import type { SignInAnswers, TestBrowser } from './browser';
import type { VerifyingClient } from './msal-clients';

/** The redirect URI the tests use (registered as http://localhost/signin-oidc: any port matches). */
export const REDIRECT_URI = 'http://localhost:3000/signin-oidc';

const crypto = new CryptoProvider();

/**
 * Runs MSAL's authorization-code flow with PKCE, state and nonce through the emulator's pages in
 * a test browser; `redeem()` exchanges the code through MSAL, and the {@link VerifyingClient}
 * checks every token it gets against the emulator's JWKS.
 */
export async function signInWithMsal(
  cca: VerifyingClient,
  browser: TestBrowser,
  scopes: string[],
  answers: SignInAnswers,
  extra: {
    prompt?: string;
    responseMode?: 'query' | 'form_post';
    claims?: string;
    loginHint?: string;
    domainHint?: string;
  } = {},
) {
  const pkce = await crypto.generatePkceCodes();
  const state = crypto.createNewGuid();
  const nonce = crypto.createNewGuid();
  const url = await cca.getAuthCodeUrl({
    scopes,
    redirectUri: REDIRECT_URI,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    state,
    nonce,
    prompt: extra.prompt,
    responseMode: extra.responseMode as never,
    claims: extra.claims,
    loginHint: extra.loginHint,
    domainHint: extra.domainHint,
  });
  const result = await browser.authorize(url, answers);
  const redeem = (): Promise<AuthenticationResult> =>
    cca.acquireTokenByCode(
      {
        code: result.params.get('code')!,
        scopes,
        redirectUri: REDIRECT_URI,
        codeVerifier: pkce.verifier,
        nonce,
        state,
        claims: extra.claims,
      },
      { code: result.params.get('code')!, state: result.params.get('state') ?? undefined },
    );
  return { result, state, nonce, pkce, redeem };
}

/**
 * Signs a user in with their password (consenting when asked) and redeems the code: the tokens
 * MSAL returns, each verified by the {@link VerifyingClient}.
 *
 * @example
 * ```ts
 * const tokens = await signInAndRedeem(cca, new TestBrowser(emu.baseUrl), ['User.Read'], DEFAULT_USERS.alice);
 * ```
 */
export async function signInAndRedeem(
  cca: VerifyingClient,
  browser: TestBrowser,
  scopes: string[],
  user: { username: string; password: string },
): Promise<AuthenticationResult> {
  const signIn = await signInWithMsal(cca, browser, scopes, {
    username: user.username,
    password: user.password,
  });
  return signIn.redeem();
}
