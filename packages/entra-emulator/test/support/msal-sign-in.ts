import {
  CryptoProvider,
  type AuthenticationResult,
  type ConfidentialClientApplication,
} from '@azure/msal-node';

import type { SignInAnswers, TestBrowser } from './browser';

/** The redirect URI the tests use (registered as http://localhost/signin-oidc: any port matches). */
export const REDIRECT_URI = 'http://localhost:3000/signin-oidc';

const crypto = new CryptoProvider();

/**
 * Runs MSAL's authorization-code flow with PKCE, state and nonce through the emulator's pages in
 * a test browser; `redeem()` exchanges the code through MSAL.
 */
export async function signInWithMsal(
  cca: ConfidentialClientApplication,
  browser: TestBrowser,
  scopes: string[],
  answers: SignInAnswers,
  extra: { prompt?: string; responseMode?: 'query' | 'form_post'; claims?: string; loginHint?: string } = {},
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
