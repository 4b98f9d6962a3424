import type { IdentityWebOptions } from '../options/identity-web.options';
import type { SignOutMethod } from '../options/identity-web.section';
import { accountRoute } from './app-urls';

/** What an account route does. */
export type AccountRoute =
  | 'signin'
  | 'challenge'
  | 'editProfile'
  | 'resetPassword'
  | 'signout'
  | 'signoutMethodNotAllowed'
  | 'callback'
  | 'signedOut'
  | 'resubmitPage'
  | 'resubmit'
  | 'browserScript';

/** The route a GET (or HEAD) and a POST reach on one path; absent when that method is not answered there. */
interface RouteByMethod {
  get?: AccountRoute;
  post?: AccountRoute;
}

/**
 * The account routes by path, built once at start-up from the options (their paths are
 * configurable, which Nest controllers cannot be): a request costs one map lookup. Paths match
 * ignoring case, a trailing slash and the query. Where two configured paths coincide, the first
 * listed wins: the callback, the signed-out callback, then the routes under the prefix.
 *
 * @example
 * ```ts
 * const table = new AccountRoutesTable(options);
 * table.match('GET', '/account/signin?returnUrl=%2F'); // 'signin'
 * ```
 */
export class AccountRoutesTable {
  private readonly routes = new Map<string, RouteByMethod>();

  constructor(options: Pick<IdentityWebOptions, 'azureAd' | 'accountRoutesPrefix' | 'signOutMethods'>) {
    const { azureAd } = options;
    const signOut = (method: SignOutMethod): AccountRoute =>
      options.signOutMethods.includes(method) ? 'signout' : 'signoutMethodNotAllowed';
    const entries: [string, RouteByMethod][] = [
      [azureAd.callbackPath, { get: 'callback', post: 'callback' }],
      [azureAd.signedOutCallbackPath, { get: 'signedOut' }],
      [accountRoute(options, 'signin'), { get: 'signin' }],
      [accountRoute(options, 'challenge'), { get: 'challenge' }],
      [accountRoute(options, 'resubmit'), { get: 'resubmitPage', post: 'resubmit' }],
      [accountRoute(options, 'identity-web.js'), { get: 'browserScript' }],
    ];
    if (azureAd.editProfilePolicyId)
      entries.push([accountRoute(options, 'editprofile'), { get: 'editProfile' }]);
    if (azureAd.resetPasswordPolicyId) {
      entries.push([accountRoute(options, 'resetpassword'), { get: 'resetPassword' }]);
    }
    entries.push([accountRoute(options, 'signout'), { get: signOut('GET'), post: signOut('POST') }]);
    for (const [path, byMethod] of entries) {
      const key = normalizePath(path);
      const existing = this.routes.get(key);
      this.routes.set(key, { get: existing?.get ?? byMethod.get, post: existing?.post ?? byMethod.post });
    }
  }

  /** The account route a request with this method and URL reaches, if any. */
  match(method: string, url: string): AccountRoute | undefined {
    const byMethod = this.routes.get(normalizePath(pathOf(url)));
    if (!byMethod) return undefined;
    const upper = method.toUpperCase();
    if (upper === 'GET' || upper === 'HEAD') return byMethod.get;
    return upper === 'POST' ? byMethod.post : undefined;
  }
}

/** The path of a request URL: everything before its query (a browser never sends the fragment). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return (trimmed.startsWith('/') ? trimmed : `/${trimmed}`).toLowerCase();
}
