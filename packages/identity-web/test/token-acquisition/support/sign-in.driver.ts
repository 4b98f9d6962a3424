import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CookieJar } from 'tough-cookie';
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

/** What the person at the keyboard would type or click. */
export interface SignInAnswers {
  username: string;
  password: string;
  /** The MFA code, when the emulator asks for one. */
  otp?: string;
  /** Accept the consent page (default) or cancel it. */
  consent?: boolean;
}

/**
 * Drives the emulator's sign-in pages with `fetch` and a cookie jar, as a browser without
 * JavaScript would: follows redirects, fills the form on each page (username/password, MFA
 * code, consent) and stops at the app's redirect URI. Keeps its cookies, so a second sign-in
 * uses the emulator's SSO session.
 */
export class SignInDriver {
  readonly jar = new CookieJar();

  /** Runs an authorize URL to the app's redirect; returns the redirect URL (code, state, or error). */
  async authorize(authorizeUrl: string, answers: SignInAnswers, redirectUri = REDIRECT_URI): Promise<URL> {
    let request: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = {
      url: authorizeUrl,
      method: 'GET',
    };
    for (let step = 0; step < 20; step++) {
      if (request.url.startsWith(redirectUri)) return new URL(request.url);
      const response = await fetch(request.url, {
        method: request.method,
        body: request.body,
        redirect: 'manual',
        headers: { cookie: await this.jar.getCookieString(request.url), accept: 'text/html' },
      });
      for (const cookie of response.headers.getSetCookie()) await this.jar.setCookie(cookie, request.url);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        request = { url: new URL(location, request.url).toString(), method: 'GET' };
        continue;
      }
      const html = await response.text();
      if (response.status !== 200)
        throw new Error(`Sign-in step ${request.url} answered ${response.status}: ${html.slice(0, 300)}`);
      request = submitForm(html, request.url, answers);
    }
    throw new Error('Sign-in did not reach the redirect URI in 20 steps');
  }
}

function submitForm(html: string, pageUrl: string, answers: SignInAnswers) {
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form on the sign-in page: ${html.replace(/\s+/g, ' ').slice(0, 300)}`);
  const body = new URLSearchParams();
  for (const input of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (!name) continue;
    const answer =
      name === 'username'
        ? answers.username
        : name === 'password'
          ? answers.password
          : name === 'otp'
            ? answers.otp
            : undefined;
    body.set(name, decodeHtml(answer ?? value));
  }
  if (/name="decision"/.test(form[2])) body.set('decision', answers.consent === false ? 'cancel' : 'accept');
  return { url: new URL(decodeHtml(form[1]), pageUrl).toString(), method: 'POST' as const, body };
}

function decodeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

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
  driver?: SignInDriver;
  prompt?: string;
}

/**
 * Signs a user in as the sign-in part does: authorize URL with PKCE,
 * state and nonce, the emulator's pages, then the code redeemed with the ID token verified
 * (signature against the JWKS, issuer, audience, nonce) before the tokens are stored.
 */
export async function signIn(
  target: SignInTarget,
  clientId: string,
  answers: SignInAnswers,
  options: SignInOptions = {},
): Promise<{ user: SignedInUser; idToken: string }> {
  const scopes = options.scopes ?? ['openid', 'profile', 'offline_access'];
  const driver = options.driver ?? new SignInDriver();
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
    loginHint: answers.username,
  });
  const back = await driver.authorize(url, answers);
  if (back.searchParams.get('state') !== state) throw new Error(`State mismatch: ${back}`);
  const code = back.searchParams.get('code');
  if (!code)
    throw new Error(
      `No code: ${back.searchParams.get('error')} ${back.searchParams.get('error_description')}`,
    );
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
