import { CookieJar } from 'tough-cookie';

import { appUrlOf, type AppUnderTest } from './app-url';
import { authorizeOverHttp } from './authorize-over-http';
import { navigate, type NavigationResponse } from './navigate';
import type { EmulatorPageName, SignInAnswers, TestUser } from './sign-in-answers';
import { SignInFlowError } from './sign-in-flow.error';

/**
 * Options of {@link signInOverHttp}: where the sign-in starts, the answers, and the jar.
 *
 * @example
 * ```ts
 * const options: HttpSignInOptions = { returnUrl: '/profile', consent: 'refuse' };
 * ```
 */
export interface HttpSignInOptions extends Omit<SignInAnswers, 'stopAt'> {
  /** The app's sign-in route (default `/account/signin`); `?returnUrl=` is appended. */
  signInPath?: string;
  /** Where the app should send the user once signed in (default `/`). */
  returnUrl?: string;
  /** Start here instead (a protected page, a `challengeUrl`): any app URL that leads to the emulator. */
  startAt?: string;
  /** The browser's cookies: pass an earlier result's `jar` to keep its app session and SSO. */
  jar?: CookieJar;
}

/**
 * A sign-in through the app: the cookie to send as the signed-in user, and what happened.
 *
 * @example
 * ```ts
 * const { cookie, appUrl } = result;
 * await fetch(`${appUrl}/me`, { headers: { cookie } });
 * ```
 */
export interface HttpSignInResult {
  /** The `Cookie` header a browser would now send to the app (for `fetch`, or supertest's `.set('Cookie', cookie)`). */
  cookie: string;
  /** The cookies: the app's session and the emulator's SSO session. */
  jar: CookieJar;
  /** The app's origin, with `localhost` (see {@link appUrlOf}). */
  appUrl: string;
  /** Where the app sent the user after the sign-in (a path on the app, such as the `returnUrl`). */
  returnedTo: string;
  /** The app's last answer: the redirect to `returnedTo`, or the page it showed (a refusal). */
  response: NavigationResponse;
  /** The emulator pages shown, in order (empty when SSO and earlier consent sufficed). */
  pages: EmulatorPageName[];
  /** The scopes the consent page listed, when it was shown. */
  consentScopes: string[];
}

/**
 * Signs a user in to an app the way a browser without JavaScript would: opens the app's own
 * sign-in route, goes through the emulator's real pages (password, the MFA code when the user or
 * a policy needs it, consent), lands back on the app's callback and returns its session cookie.
 * Redirects are followed by hand, as navigations; the emulator's answer is delivered to the app
 * (query or form_post). Throws {@link SignInFlowError} when the emulator or the app refuses,
 * unless consent was refused on purpose: then `response` is the app's answer.
 *
 * @example
 * ```ts
 * const { cookie, appUrl } = await signInOverHttp(app, DEFAULT_USERS.alice);
 * const me = await fetch(`${appUrl}/me`, { headers: { cookie } });
 * ```
 */
export async function signInOverHttp(
  app: AppUnderTest,
  user: TestUser,
  options: HttpSignInOptions = {},
): Promise<HttpSignInResult> {
  const appUrl = await appUrlOf(app);
  const jar = options.jar ?? new CookieJar();
  const { signInPath = '/account/signin', returnUrl = '/' } = options;
  const start = options.startAt ?? `${signInPath}?returnUrl=${encodeURIComponent(returnUrl)}`;
  const seen = { pages: [] as EmulatorPageName[], consentScopes: [] as string[] };
  let response = await navigate(new URL(start, appUrl), { jar });
  let visitedEmulator = false;
  for (let hops = 0; hops < 10; hops++) {
    const location = redirectOf(response);
    if (location && location.origin !== appUrl) {
      const answer = await authorizeOverHttp(location, user, { ...options, stopAt: undefined, jar });
      seen.pages.push(...answer.pages);
      if (answer.consentScopes.length > 0) seen.consentScopes = answer.consentScopes;
      if (answer.url.origin !== appUrl) {
        throw new SignInFlowError(
          `The emulator sent the browser to ${answer.url.origin}, not to the app at ${appUrl}: check the app's redirect URI`,
          answer.url.href,
          0,
          '',
        );
      }
      const form = answer.method === 'POST' ? answer.params : undefined;
      response = await navigate(answer.url, { jar, method: answer.method, form });
      visitedEmulator = true;
    } else if (location && !visitedEmulator) {
      response = await navigate(location, { jar });
    } else {
      return landed(appUrl, jar, response, location, seen, options.consent === 'refuse');
    }
  }
  throw new SignInFlowError(`The app did not finish the sign-in in 10 redirects`, response.url, 0, '');
}

async function landed(
  appUrl: string,
  jar: CookieJar,
  response: NavigationResponse,
  location: URL | undefined,
  seen: Pick<HttpSignInResult, 'pages' | 'consentScopes'>,
  refusalExpected: boolean,
): Promise<HttpSignInResult> {
  if (response.status >= 400 && !refusalExpected) {
    const text = response.body
      .replace(/<(head|title|style|script)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
    throw new SignInFlowError(
      `The app answered ${response.status} at ${new URL(response.url).pathname}: ${text}`,
      response.url,
      response.status,
      response.body,
    );
  }
  const where = location ?? new URL(response.url);
  const returnedTo = where.origin === appUrl ? where.pathname + where.search + where.hash : where.href;
  return { cookie: await jar.getCookieString(appUrl), jar, appUrl, returnedTo, response, ...seen };
}

function redirectOf(response: NavigationResponse): URL | undefined {
  const redirected = response.status >= 300 && response.status < 400 && response.location;
  return redirected ? new URL(response.location!, response.url) : undefined;
}
