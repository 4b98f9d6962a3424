import { CookieJar } from 'tough-cookie';

import { MFA_CODE } from '../index';
import { answerFields, consentScopesOf, nextStep, parseForm } from './emulator-page';
import { navigate, type NavigationResponse } from './navigate';
import type { EmulatorPageName, SignInAnswers, TestUser } from './sign-in-answers';
import { SignInFlowError } from './sign-in-flow.error';

/**
 * Options of {@link authorizeOverHttp}: the answers, and the cookie jar that plays the browser.
 *
 * @example
 * ```ts
 * const options: AuthorizeOverHttpOptions = { jar, consent: 'refuse' };
 * ```
 */
export interface AuthorizeOverHttpOptions extends SignInAnswers {
  /** The browser's cookies: pass the jar of an earlier sign-in to use its SSO session. */
  jar?: CookieJar;
}

/**
 * Where the emulator sent the browser back to: the app's redirect URI with the response
 * (a redirect, or the `response_mode=form_post` form), or the page it stopped at (`stopAt`).
 *
 * @example
 * ```ts
 * const code = response.params.get('code');
 * ```
 */
export interface AuthorizationResponse {
  /** The redirect URI (query mode), the form_post target, or the stopped page's form action. */
  url: URL;
  /** `GET` for a redirect, `POST` for a form (form_post, or the stopped page's form). */
  method: 'GET' | 'POST';
  /** The response parameters (`code`, `state`, `error`…), or the stopped page's form fields. */
  params: URLSearchParams;
  /** The emulator pages shown, in order (empty when the SSO session and consent sufficed). */
  pages: EmulatorPageName[];
  /** The scopes the consent page listed, when it was shown. */
  consentScopes: string[];
  /** The HTML of each page shown. */
  html: Partial<Record<EmulatorPageName, string>>;
  /** The page the flow stopped at, when `stopAt` stopped it. */
  stoppedAt?: EmulatorPageName;
  /** The cookie jar used, with the emulator's SSO cookie. */
  jar: CookieJar;
}

interface Hop {
  url: URL;
  method: 'GET' | 'POST';
  form?: URLSearchParams;
}

/**
 * Runs an authorize URL through the emulator's real pages over HTTP, as a browser without
 * JavaScript would: follows redirects, signs `user` in, types the MFA code when asked, accepts or
 * refuses consent, and returns the answer meant for the app's redirect URI without delivering
 * it. For clients that build their own authorize URL (MSAL, openid-client); with an app that
 * has a sign-in route, use {@link signInOverHttp}. Throws {@link SignInFlowError} when the
 * emulator refuses an answer or shows an error page.
 *
 * @example
 * ```ts
 * const url = await msal.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri, codeChallenge, codeChallengeMethod: 'S256' });
 * const { params } = await authorizeOverHttp(url, DEFAULT_USERS.bob); // MFA typed, consent accepted
 * await msal.acquireTokenByCode({ code: params.get('code')!, scopes: ['User.Read'], redirectUri, codeVerifier });
 * ```
 */
export async function authorizeOverHttp(
  authorizeUrl: string | URL,
  user: TestUser,
  options: AuthorizeOverHttpOptions = {},
): Promise<AuthorizationResponse> {
  const jar = options.jar ?? new CookieJar();
  const emulator = new URL(authorizeUrl).origin;
  const answers = { ...options, otp: options.otp ?? MFA_CODE };
  const seen: Pick<AuthorizationResponse, 'pages' | 'consentScopes' | 'html' | 'jar'> = {
    pages: [],
    consentScopes: [],
    html: {},
    jar,
  };
  let hop: Hop = { url: new URL(authorizeUrl), method: 'GET' };
  for (let hops = 0; hops < 20; hops++) {
    if (hop.url.origin !== emulator) {
      // response_mode=fragment puts the answer after '#'.
      const params =
        hop.form ?? (hop.url.hash ? new URLSearchParams(hop.url.hash.slice(1)) : hop.url.searchParams);
      return { ...seen, url: hop.url, method: hop.method, params };
    }
    const response = await navigate(hop.url, { jar, method: hop.method, form: hop.form });
    if (response.status >= 300 && response.status < 400 && response.location) {
      hop = { url: new URL(response.location, hop.url), method: 'GET' };
      continue;
    }
    const form = parseForm(response.body);
    const fields = form?.fields ?? new URLSearchParams();
    const now = { url: response.url, action: form?.action ?? null, html: response.body };
    const step = nextStep(now, emulator, seen.pages.length);
    if (step.kind === 'refused') throw refused(response, step.reason, step.page);
    if (step.kind === 'form-post') {
      // The page would post this form to the app on load.
      hop = { url: step.target, method: 'POST', form: fields };
      continue;
    }
    const { page, action } = step;
    seen.pages.push(page);
    seen.html[page] = response.body;
    if (page === 'consent') seen.consentScopes = consentScopesOf(response.body);
    if (page === options.stopAt) return stopped(seen, page, action, fields);
    hop = { url: action, method: 'POST', form: answerFields(page, fields, user, answers) };
  }
  throw new SignInFlowError('The sign-in did not leave the emulator in 20 steps', hop.url.href, 0, '');
}

function stopped(
  seen: Pick<AuthorizationResponse, 'pages' | 'consentScopes' | 'html' | 'jar'>,
  page: EmulatorPageName,
  action: URL,
  fields: URLSearchParams,
): AuthorizationResponse {
  return { ...seen, url: action, method: 'POST', params: fields, stoppedAt: page };
}

function refused(response: NavigationResponse, reason: string, page?: EmulatorPageName): SignInFlowError {
  const where = new URL(response.url).pathname;
  const message = `The emulator ${reason} (HTTP ${response.status}, ${where})`;
  return new SignInFlowError(message, response.url, response.status, response.body, page);
}
