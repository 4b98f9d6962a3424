import { requestOrigin, type HttpRequestLike } from '../http/browser-request';
import type { IdentityWebOptions } from '../options/identity-web.options';

/**
 * The app's public origin: the origin of `AzureAd:RedirectUri` when it is configured, so a proxy
 * that terminates TLS or a spoofed `Host` header cannot change it; otherwise the request's own
 * protocol and `Host` (honouring Express's `trust proxy`).
 *
 * @example
 * ```ts
 * appOrigin(options, req); // 'https://app.example' with RedirectUri https://app.example/signin-oidc
 * ```
 */
export function appOrigin(options: Pick<IdentityWebOptions, 'azureAd'>, req: HttpRequestLike): string {
  const configured = options.azureAd.redirectUri;
  return configured ? new URL(configured).origin : requestOrigin(req);
}

/**
 * The `redirect_uri` of sign-in requests: `AzureAd:RedirectUri` when configured, else the
 * request's origin + `AzureAd:CallbackPath`.
 *
 * @example
 * ```ts
 * redirectUriFor(options, req); // 'https://app.example/signin-oidc'
 * ```
 */
export function redirectUriFor(options: Pick<IdentityWebOptions, 'azureAd'>, req: HttpRequestLike): string {
  return options.azureAd.redirectUri ?? `${requestOrigin(req)}${options.azureAd.callbackPath}`;
}

/**
 * The `post_logout_redirect_uri` sent to the identity provider: the app's origin (see
 * {@link appOrigin}) + `AzureAd:SignedOutCallbackPath`.
 *
 * @example
 * ```ts
 * postLogoutRedirectUriFor(options, req); // 'https://app.example/signout-callback-oidc'
 * ```
 */
export function postLogoutRedirectUriFor(
  options: Pick<IdentityWebOptions, 'azureAd'>,
  req: HttpRequestLike,
): string {
  return `${appOrigin(options, req)}${options.azureAd.signedOutCallbackPath}`;
}

/** The account routes under `accountRoutesPrefix`, by the last segment of their path. */
export type AccountRouteName =
  'signin' | 'challenge' | 'signout' | 'editprofile' | 'resetpassword' | 'resubmit' | 'identity-web.js';

/**
 * The path of an account route: `accountRoutesPrefix` + `/` + `name`, with no doubled slash when
 * the prefix is `/` (or ends with a slash). The one place the paths are built: the account-routes
 * middleware matches these, and redirects to sign in or to a challenge point at them.
 *
 * @example
 * ```ts
 * accountRoute(options, 'signin');                          // '/account/signin'
 * accountRoute({ accountRoutesPrefix: '/' }, 'signout');    // '/signout'
 * accountRoute({ accountRoutesPrefix: '/auth' }, 'challenge'); // '/auth/challenge'
 * ```
 */
export function accountRoute(
  options: Pick<IdentityWebOptions, 'accountRoutesPrefix'>,
  name: AccountRouteName,
): string {
  return `${options.accountRoutesPrefix.replace(/\/+$/, '')}/${name}`;
}
