import { CryptoProvider, type AuthenticationResult } from '@azure/msal-node';
import type { CookieJar } from 'tough-cookie';

import { authorizeOverHttp, type SignInAnswers, type TestUser } from '../../src/testing';
import type { VerifyingClient } from './msal-clients';

/** What the user answers; without a username the flow stops on the sign-in form (SSO expected). */
export type MsalSignInAnswers = Partial<TestUser> & SignInAnswers;

/** The redirect URI the tests use (registered as http://localhost/signin-oidc: any port matches). */
export const REDIRECT_URI = 'http://localhost:3000/signin-oidc';

const crypto = new CryptoProvider();

/**
 * Runs MSAL's authorization-code flow with PKCE, state and nonce through the emulator's pages
 * (the kit's `authorizeOverHttp`, with `jar` as the browser's cookies); `redeem()` exchanges the
 * code through MSAL, and the {@link VerifyingClient} checks every token it gets against the
 * emulator's JWKS.
 */
export async function signInWithMsal(
  cca: VerifyingClient,
  jar: CookieJar,
  scopes: string[],
  answers: MsalSignInAnswers,
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
  const { username, password, ...rest } = answers;
  const result = await authorizeOverHttp(
    url,
    { username: username ?? '', password: password ?? '' },
    { ...rest, jar, stopAt: rest.stopAt ?? (username === undefined ? 'login' : undefined) },
  );
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
 * const tokens = await signInAndRedeem(cca, new CookieJar(), ['User.Read'], DEFAULT_USERS.alice);
 * ```
 */
export async function signInAndRedeem(
  cca: VerifyingClient,
  jar: CookieJar,
  scopes: string[],
  user: TestUser,
): Promise<AuthenticationResult> {
  const signIn = await signInWithMsal(cca, jar, scopes, {
    username: user.username,
    password: user.password,
  });
  return signIn.redeem();
}
