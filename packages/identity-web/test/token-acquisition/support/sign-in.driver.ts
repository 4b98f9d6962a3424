import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { authorizeOverHttp, type TestUser } from 'entra-emulator/testing';
import type { IdentityWebOptions } from '../../../src/options/identity-web.options';
import { AuthorizationCodeClient } from '../../../src/sign-in/authorization-code.client';
import type { Authorities } from '../../../src/token-acquisition/authorities';
import {
  createTokenAcquisition,
  type TokenAcquisitionOverrides,
  type TokenAcquisitionParts,
} from '../../../src/token-acquisition/create-token-acquisition';
import type { SignedInUser } from '../../../src/token-acquisition/signed-in-user';

/** The redirect URI registered for the emulator's default web app. */
export const REDIRECT_URI = 'https://localhost/signin-oidc';

/** What {@link signIn} signs in through: the sign-in part's code client and the authorities. */
export interface SignInTarget {
  codes: AuthorizationCodeClient;
  authorities: Authorities;
}

/** The sign-in part wired over token acquisition `parts`, as the module wires it. */
export function signInTarget(options: IdentityWebOptions, parts: TokenAcquisitionParts): SignInTarget {
  return {
    codes: new AuthorizationCodeClient(options, parts.authorities, parts.clients, parts.cache),
    authorities: parts.authorities,
  };
}

/** Token acquisition and the sign-in part wired without Nest, as scripts and benchmarks use them. */
export function withSignIn(
  options: IdentityWebOptions,
  overrides: TokenAcquisitionOverrides = {},
): TokenAcquisitionParts & SignInTarget {
  const parts = createTokenAcquisition(options, overrides);
  return { ...parts, ...signInTarget(options, parts) };
}

/** Options of {@link signIn}. */
export interface SignInOptions {
  scopes?: string[];
  claims?: string;
  prompt?: string;
}

/**
 * Signs a user in as the sign-in part does: authorize URL with PKCE, state and nonce, the
 * emulator's pages (through `entra-emulator/testing`), then the code redeemed with the ID token verified
 * (signature against the JWKS, issuer, audience, nonce) before the tokens are stored.
 */
export async function signIn(
  target: SignInTarget,
  clientId: string,
  user: TestUser & { otp?: string },
  options: SignInOptions = {},
): Promise<{ user: SignedInUser; idToken: string }> {
  const scopes = options.scopes ?? ['openid', 'profile', 'offline_access'];
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  const url = await target.codes.getAuthorizationCodeUrl({
    redirectUri: REDIRECT_URI,
    scopes,
    state,
    nonce,
    codeChallenge,
    claims: options.claims,
    prompt: options.prompt,
    loginHint: user.username,
  });
  // A new browser each time (no SSO): the emulator's real pages, answered as `user` would.
  const { params } = await authorizeOverHttp(url, user, { otp: user.otp });
  if (params.get('state') !== state) throw new Error(`State mismatch: ${params.get('state')}`);
  const code = params.get('code');
  if (!code) throw new Error(`No code: ${params.get('error')} ${params.get('error_description')}`);
  const metadata = await target.authorities.metadata();
  const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
  return target.codes.redeem({
    code,
    redirectUri: REDIRECT_URI,
    scopes,
    codeVerifier,
    nonce,
    validateIdToken: async (idToken: string) => {
      const { payload } = await jwtVerify(idToken, jwks, { issuer: metadata.issuer, audience: clientId });
      if (payload.nonce !== nonce) throw new Error('nonce mismatch');
    },
  });
}
