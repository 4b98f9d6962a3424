import { Logger } from '@nestjs/common';
import type { HttpRequestLike } from '../http/browser-request';
import { compileTrustedProxies, hostAllowed, publicOrigin, type PublicOrigin } from '../http/public-origin';
import { InvalidArgumentError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';

type OriginOptions = Pick<IdentityWebOptions, 'azureAd'> &
  Partial<Pick<IdentityWebOptions, 'forwardedHeaders' | 'allowedHosts'>>;

const trustByOptions = new WeakMap<object, ReturnType<typeof compileTrustedProxies> | undefined>();
const warnedHosts = new WeakSet<object>();

/**
 * How the browser reached the app for this request (protocol and host), with
 * `IdentityWeb:ForwardedHeaders` deciding whether a proxy's `Forwarded` / `X-Forwarded-*` headers
 * count. Ignores `AzureAd:RedirectUri`: this is what the request says, for cookies.
 *
 * @example
 * ```ts
 * requestPublicOrigin(options, req).protocol; // 'https' behind a trusted TLS proxy
 * ```
 */
export function requestPublicOrigin(options: OriginOptions, req: HttpRequestLike): PublicOrigin {
  if (!trustByOptions.has(options)) {
    const proxies = options.forwardedHeaders;
    trustByOptions.set(options, proxies === undefined ? undefined : compileTrustedProxies(proxies));
  }
  return publicOrigin(req, trustByOptions.get(options));
}

/**
 * The request's public origin once its host is known to be the app's: in `IdentityWeb:AllowedHosts`
 * (this machine's names by default). Otherwise an `invalid_argument` error (400), and one logged
 * error naming the settings to change.
 */
function checkedRequestOrigin(options: OriginOptions, req: HttpRequestLike): string {
  const origin = requestPublicOrigin(options, req);
  const allowed = options.allowedHosts ?? ['localhost', '127.0.0.1', '[::1]'];
  if (!hostAllowed(origin.host, allowed)) {
    if (!warnedHosts.has(options)) {
      warnedHosts.add(options);
      new Logger('IdentityWeb').error(
        `A request's host is not in IdentityWeb:AllowedHosts (${allowed.join(', ')}), so no redirect URI is built from it ` +
          '(a spoofed Host header must not choose where the identity provider sends codes). Set AzureAd:RedirectUri ' +
          "to the app's public callback URL, or list the app's host names in IdentityWeb:AllowedHosts (logged once).",
      );
    }
    throw new InvalidArgumentError(
      'This host is not one the app answers to: set AzureAd:RedirectUri or IdentityWeb:AllowedHosts.',
    );
  }
  return `${origin.protocol}://${origin.host}`;
}

/**
 * The app's public origin: the origin of `AzureAd:RedirectUri` when it is configured, so a proxy
 * that terminates TLS or a spoofed `Host` header cannot change it; otherwise the request's, as a
 * trusted proxy reports it (`IdentityWeb:ForwardedHeaders`), its host checked against
 * `IdentityWeb:AllowedHosts` (an `invalid_argument` error, 400, when not listed).
 *
 * @example
 * ```ts
 * appOrigin(options, req); // 'https://app.example' with RedirectUri https://app.example/signin-oidc
 * ```
 */
export function appOrigin(options: OriginOptions, req: HttpRequestLike): string {
  const configured = options.azureAd.redirectUri;
  return configured ? new URL(configured).origin : checkedRequestOrigin(options, req);
}

/**
 * The `redirect_uri` of sign-in requests: `AzureAd:RedirectUri` when configured, else the
 * app's public origin (see {@link appOrigin}) + `AzureAd:CallbackPath`.
 *
 * @example
 * ```ts
 * redirectUriFor(options, req); // 'https://app.example/signin-oidc'
 * ```
 */
export function redirectUriFor(options: OriginOptions, req: HttpRequestLike): string {
  return (
    options.azureAd.redirectUri ?? `${checkedRequestOrigin(options, req)}${options.azureAd.callbackPath}`
  );
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
export function postLogoutRedirectUriFor(options: OriginOptions, req: HttpRequestLike): string {
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
