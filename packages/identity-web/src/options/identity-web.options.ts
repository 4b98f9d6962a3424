/**
 * The library's options, after normalisation. Users may instead pass an appsettings-shaped
 * object (`{ AzureAd: {...}, DownstreamApis: {...} }`, PascalCase keys): `normalizeOptions`
 * turns either shape into this one, validates it, and fails naming the key path.
 */

/** How the app proves its identity to Entra ID when it redeems codes and refreshes tokens. */
export type CredentialSourceType = 'ClientSecret' | 'Path' | 'Base64Encoded' | 'SignedAssertionFilePath';

/** One entry of `AzureAd:ClientCredentials`; the first usable one is used. */
export interface CredentialDescription {
  sourceType: CredentialSourceType;
  /** For `ClientSecret`. */
  clientSecret?: string;
  /** For `Path`: a PEM (certificate + private key) or PFX file. */
  certificateDiskPath?: string;
  /** For `Base64Encoded`: a PFX or PEM bundle, base64-encoded. */
  base64EncodedValue?: string;
  /** Password of a PFX file or of an encrypted PEM private key. */
  certificatePassword?: string;
  /** For `SignedAssertionFilePath`: a file holding a client assertion (a JWT), re-read when it changes. */
  signedAssertionFileDiskPath?: string;
  /** Send the certificate chain (`x5c`) so subject-name/issuer authentication works. */
  sendX5c?: boolean;
}

/** The `AzureAd` section: the app registration and how users sign in. */
export interface MicrosoftIdentityOptions {
  /** e.g. `https://login.microsoftonline.com/`. With `tenantId`, builds the authority. */
  instance: string;
  /** A tenant GUID or domain, or `common` / `organizations` / `consumers`. */
  tenantId: string;
  /** Application (client) ID. */
  clientId: string;
  /** Full authority URL; when given, wins over `instance` + `tenantId`. */
  authority?: string;
  /** B2C / External ID tenant domain, e.g. `contoso.onmicrosoft.com`. */
  domain?: string;
  /** Path Entra redirects to after sign-in. Default `/signin-oidc`. */
  callbackPath: string;
  /** Path Entra redirects to after sign-out. Default `/signout-callback-oidc`. */
  signedOutCallbackPath: string;
  /** Where the user lands after sign-out completes. Default `/`. */
  postLogoutRedirectPath?: string;
  /**
   * Absolute redirect URI registered for the app (`https://app.example/signin-oidc`). When absent
   * the sign-in part builds it from the request's origin and `callbackPath`.
   */
  redirectUri?: string;
  clientCredentials: CredentialDescription[];
  /** e.g. `['cp1']` to advertise continuous access evaluation (claims challenges). */
  clientCapabilities?: string[];
  /** For multi-tenant apps: tenants (GUIDs) whose users may sign in. Empty = any. */
  allowedTenants?: string[];
  /** Scopes requested at sign-in besides `openid profile offline_access`, so their tokens are cached at once. */
  initialScopes?: string[];
  /** B2C / External ID user flows. */
  signUpSignInPolicyId?: string;
  editProfilePolicyId?: string;
  resetPasswordPolicyId?: string;
  /** Allowed clock skew when validating ID tokens, in seconds. Default 120. */
  clockSkewSeconds?: number;
  /** Upper bound for any call to the identity provider, in milliseconds. Default 10 000. */
  httpTimeoutMs?: number;
  /** `query` (default) or `form_post`. */
  responseMode?: 'query' | 'form_post';
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Options of one token request; also the `acquireTokenOptions` of a downstream API call. */
export interface AcquireTokenOptions {
  /** Tenant to get the token in (guest users, multi-tenant apps). */
  tenant?: string;
  /** Claims (JSON) the resource demands, from a claims challenge. */
  claims?: string;
  /** Skip the cache and ask the identity provider. */
  forceRefresh?: boolean;
  /** B2C / External ID user flow. */
  userFlow?: string;
  correlationId?: string;
}

/** One entry of `DownstreamApis`: a named API the app calls. */
export interface DownstreamApiOptions {
  baseUrl?: string;
  relativePath?: string;
  scopes?: string[];
  httpMethod?: HttpMethod;
  /** Call with the app's own token (client credentials) instead of the user's. */
  requestAppToken?: boolean;
  acceptHeader?: string;
  contentType?: string;
  queryParameters?: Record<string, string>;
  headers?: Record<string, string>;
  acquireTokenOptions?: AcquireTokenOptions;
  /** Give up on the API after this many milliseconds. Default 30 000. */
  timeoutMs?: number;
}

/** Browser session (express-session) settings. The session holds who the user is, never tokens. */
export interface SessionOptions {
  /** Secret(s) signing the session cookie. Required; at least 32 characters. */
  secret: string | string[];
  /** An express-session store; in memory by default (single instance only). */
  store?: unknown;
  /** Cookie name. Default `iw.sid`. */
  cookieName?: string;
  /** `true` sets the Secure flag; `'auto'` (default) sets it when the request came over https. */
  secure?: boolean | 'auto';
  /** Session lifetime in milliseconds. Default 8 hours. */
  maxAgeMs?: number;
  /** `lax` by default, which `response_mode=query` needs. */
  sameSite?: 'lax' | 'strict' | 'none';
}

/**
 * How a `ChallengeUserException` becomes a consent or conditional-access round trip
 * (`IdentityWeb:Consent`). `@AuthorizeForScopes()` on a route wins over the defaults here.
 */
export interface ConsentOptions {
  /**
   * Handle challenges on every route, not only those with `@AuthorizeForScopes()`. Default
   * `true`. When `false`, a challenge on an undecorated route is answered 401 without a round
   * trip (as Microsoft.Identity.Web leaves it to the attribute).
   */
  appWide?: boolean;
  /** Scopes every app-wide round trip asks for, besides the exception's. */
  scopes?: string[];
  /** Or a configuration key path holding them, e.g. `DownstreamApis:GraphAPI:Scopes`. */
  scopeKeySection?: string;
  /** User flow of app-wide round trips (B2C / External ID). */
  userFlow?: string;
  /** Where a form POST that needed consent lands when it had no same-origin Referer. Default `/`. */
  formPostFallbackUrl?: string;
}

/** Consent settings after defaults. */
export interface ResolvedConsentOptions extends ConsentOptions {
  appWide: boolean;
  formPostFallbackUrl: string;
}

/** Token cache settings: in memory by default; a distributed store for several instances. */
export interface TokenCacheOptions {
  /** Where partitions are kept; see `TokenCacheStore`. In memory when absent. */
  store?: unknown;
  /** Entries in the in-process index of valid access tokens. Default 100 000. */
  hotIndexSize?: number;
}

/**
 * The `azureAd` options a user writes: everything with a default may be left out, and the
 * legacy Microsoft.Identity.Web keys `clientSecret`, `clientCertificates` and `sendX5c` are
 * accepted and folded into `clientCredentials`.
 *
 * @example
 * ```ts
 * const azureAd: MicrosoftIdentityModuleOptions = { tenantId: 'common', clientId, clientSecret: process.env.SECRET };
 * ```
 */
export interface MicrosoftIdentityModuleOptions extends Partial<
  Omit<MicrosoftIdentityOptions, 'clientId' | 'clientCredentials'>
> {
  clientId: string;
  clientCredentials?: CredentialDescription[];
  /** Legacy single secret, as `AzureAd:ClientSecret` in older appsettings. */
  clientSecret?: string;
  /** Legacy certificate list, as `AzureAd:ClientCertificates`. */
  clientCertificates?: CredentialDescription[];
  /** Applies `sendX5c` to every certificate credential, as `AzureAd:SendX5C`. */
  sendX5c?: boolean;
}

/** What the module accepts: normalised options, or an appsettings-shaped object. */
export interface IdentityWebModuleOptions {
  azureAd: MicrosoftIdentityModuleOptions;
  downstreamApis?: Record<string, DownstreamApiOptions>;
  session?: SessionOptions;
  tokenCache?: TokenCacheOptions;
  /** Prefix of the account routes (sign-in, sign-out, challenge). Default `/account`. */
  accountRoutesPrefix?: string;
  /** Require sign-in on every route unless marked `@AllowAnonymous()`. Default `true`. */
  requireSignIn?: boolean;
  /**
   * Methods `{accountRoutesPrefix}/signout` answers. Default `['GET', 'POST']`. `['POST']` refuses a
   * GET with 405, so another site cannot sign users out with a link or an image: sign out with a
   * form (`<form method="post" action="/account/signout">`); the SameSite=Lax session cookie is not
   * sent on a cross-site POST.
   */
  signOutMethods?: readonly SignOutMethod[];
  /** How consent and conditional-access challenges are handled. */
  consent?: ConsentOptions;
}

/** A method `{accountRoutesPrefix}/signout` may answer. */
export type SignOutMethod = 'GET' | 'POST';

/**
 * `azureAd` after normalisation: defaults filled in and the authority derived.
 *
 * @example
 * ```ts
 * const { authority, callbackPath } = options.azureAd; // 'https://login.microsoftonline.com/common', '/signin-oidc'
 * ```
 */
export interface ResolvedMicrosoftIdentityOptions extends MicrosoftIdentityOptions {
  /**
   * The authority (no trailing slash, no `/v2.0`): `AzureAd:Authority` when given, else
   * `instance` + `tenantId` (`https://login.microsoftonline.com/<tenant>`), or for B2C / External ID
   * user flows `instance` + `domain` + `signUpSignInPolicyId` (`https://x.b2clogin.com/x.onmicrosoft.com/B2C_1_susi`).
   */
  authority: string;
  postLogoutRedirectPath: string;
  clientCapabilities: string[];
  allowedTenants: string[];
  initialScopes: string[];
  clockSkewSeconds: number;
  httpTimeoutMs: number;
  responseMode: 'query' | 'form_post';
}

/**
 * `session` after normalisation: every default filled in.
 *
 * @example
 * ```ts
 * options.session.cookieName; // 'iw.sid' unless configured
 * ```
 */
export interface ResolvedSessionOptions extends SessionOptions {
  cookieName: string;
  secure: boolean | 'auto';
  maxAgeMs: number;
  sameSite: 'lax' | 'strict' | 'none';
}

/**
 * `tokenCache` after normalisation.
 *
 * @example
 * ```ts
 * options.tokenCache.hotIndexSize; // 100000 unless configured
 * ```
 */
export interface ResolvedTokenCacheOptions extends TokenCacheOptions {
  hotIndexSize: number;
}

/**
 * The validated, normalised options, injectable anywhere in the app.
 *
 * @example
 * ```ts
 * constructor(private readonly options: IdentityWebOptions) {}
 * ```
 */
export abstract class IdentityWebOptions implements IdentityWebModuleOptions {
  abstract readonly azureAd: ResolvedMicrosoftIdentityOptions;
  abstract readonly downstreamApis: Record<string, DownstreamApiOptions>;
  /** Always present: without a secret, a random one is generated outside production (with a warning). */
  abstract readonly session: ResolvedSessionOptions;
  abstract readonly tokenCache: ResolvedTokenCacheOptions;
  abstract readonly accountRoutesPrefix: string;
  abstract readonly requireSignIn: boolean;
  abstract readonly signOutMethods: readonly SignOutMethod[];
  abstract readonly consent: ResolvedConsentOptions;
}
