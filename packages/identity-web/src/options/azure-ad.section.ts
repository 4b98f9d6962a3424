/**
 * `AzureAd`: the app registration and how users sign in. Its keys, then the rules across them:
 * the authority (`azure-ad.authority.ts`), a `RedirectUri` that must end with the `CallbackPath`,
 * and the credentials.
 */
import { resolveAuthorityKeys } from './azure-ad.authority';
import { AZURE_AD_CREDENTIALS, readCredentials } from './credentials.section';
import { got } from './got';
import { AZURE_AD_NOT_SUPPORTED } from './not-supported.keys';
import { list, number, oneOf, path, section, string, url } from './option-kinds';
import { readFields } from './option-section';
import type { InputOf, ReadOf, ResolvedOf } from './option-types';
import type { SectionReader } from './section-reader';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTITY_PROVIDER_URL = {
  httpElsewhere: 'error',
  httpLocalWarning: 'uses plain http: accepted on localhost only, for development.',
} as const;

// Four groups of keys, each read with its rules before the next: problems keep the order users know.

/** Who the app is and which authority it signs in with. */
const APP_REGISTRATION = {
  /** Application (client) ID. */
  clientId: string({
    prefixOnly: true,
    rule: (value, at) => {
      if (!GUID.test(value))
        at.section.report.warn(at.path, `is not a GUID${at.got(value)}: is it still a placeholder?`);
      return value;
    },
  }).required('the application (client) ID of the app registration (a GUID).'),
  /** B2C / External ID user flow users sign up and sign in with, e.g. `B2C_1_susi`. */
  signUpSignInPolicyId: string(),
  /** B2C / External ID user flow for editing the profile. */
  editProfilePolicyId: string(),
  /** B2C / External ID user flow for resetting the password. */
  resetPasswordPolicyId: string(),
  /**
   * Full authority URL, used when neither `instance` nor `tenantId` is given (as in
   * Microsoft.Identity.Web, they win over it, with a warning). Once resolved it is always set (no
   * trailing slash, no `/v2.0`): this key, else `instance` + `tenantId`
   * (`https://login.microsoftonline.com/<tenant>`), or for B2C / External ID user flows `instance` +
   * `domain` + `signUpSignInPolicyId` (`https://x.b2clogin.com/x.onmicrosoft.com/B2C_1_susi`). An
   * External ID host without a tenant (`https://contoso.ciamlogin.com/`) gets `contoso.onmicrosoft.com`.
   */
  authority: url({
    ...IDENTITY_PROVIDER_URL,
    expected: 'an absolute https URL such as https://login.microsoftonline.com/<tenant>',
  }).derived(),
  /** e.g. `https://login.microsoftonline.com/` (the default). With `tenantId`, builds the authority. */
  instance: url({
    ...IDENTITY_PROVIDER_URL,
    expected: 'an absolute https URL such as https://login.microsoftonline.com/',
  }).derived(),
  /** B2C / External ID tenant domain, e.g. `contoso.onmicrosoft.com`. */
  domain: string(),
  /** A tenant GUID or domain, or `common` / `organizations` / `consumers`. */
  tenantId: string({
    prefixOnly: true,
    rule: (value, at) => {
      if (!/^[A-Za-z0-9.-]+$/.test(value)) {
        at.section.report.error(
          at.path,
          `must be a tenant GUID, a domain, or common / organizations / consumers${at.got(value)}.`,
        );
      }
      return value;
    },
  }).derived(),
};

/** Where the identity provider sends the browser back to. */
const REDIRECTS = {
  /** Path Entra redirects to after sign-in. Default `/signin-oidc`. */
  callbackPath: path('/signin-oidc'),
  /**
   * Absolute redirect URI registered for the app (`https://app.example/signin-oidc`). When absent
   * the sign-in part builds it from the request's origin and `callbackPath`.
   */
  redirectUri: url({
    expected: 'an absolute URL such as https://app.example/signin-oidc',
    httpElsewhere: 'warn',
  }),
  /** Path Entra redirects to after sign-out. Default `/signout-callback-oidc`. */
  signedOutCallbackPath: path('/signout-callback-oidc'),
  /** Where the user lands after sign-out completes. Default `/`. */
  postLogoutRedirectPath: path('/'),
};

/** How sign-in and the calls to the identity provider behave. */
const SIGN_IN = {
  /** e.g. `['cp1']` to advertise continuous access evaluation (claims challenges). */
  clientCapabilities: list().default([]),
  /** For multi-tenant apps: tenants (GUIDs) whose users may sign in. Empty = any. */
  allowedTenants: list().default([]),
  /** Scopes requested at sign-in besides `openid profile offline_access`, so their tokens are cached at once. */
  initialScopes: list().default([]),
  /** Allowed clock skew when validating ID tokens, in seconds. Default 120. */
  clockSkewSeconds: number({ min: 0 }).default(120),
  /** Upper bound for any call to the identity provider, in milliseconds. Default 10 000. */
  httpTimeoutMs: number({ min: 1, integer: true }).default(10_000),
  /** `query` (default) or `form_post`. */
  responseMode: oneOf(['query', 'form_post']).default('query'),
};

/**
 * The `azureAd` options a user writes in code: everything with a default may be left out, and the
 * legacy Microsoft.Identity.Web keys `clientSecret`, `clientCertificates` and `sendX5c` are
 * accepted and folded into `clientCredentials`. Once validated, `IdentityWebOptions['azureAd']`.
 *
 * @example
 * ```ts
 * const azureAd: MicrosoftIdentityOptions = { tenantId: 'common', clientId, clientSecret: process.env.SECRET };
 * ```
 */
export interface MicrosoftIdentityOptions
  extends
    InputOf<typeof APP_REGISTRATION>,
    InputOf<typeof REDIRECTS>,
    InputOf<typeof AZURE_AD_CREDENTIALS>,
    InputOf<typeof SIGN_IN> {}

/** `azureAd` once validated: defaults filled in, the authority derived, credentials folded. */
export interface ResolvedMicrosoftIdentityOptions
  extends
    ResolvedOf<typeof APP_REGISTRATION>,
    ResolvedOf<typeof REDIRECTS>,
    ResolvedOf<typeof AZURE_AD_CREDENTIALS>,
    ResolvedOf<typeof SIGN_IN> {}

/** Reads `AzureAd`: its keys, then the rules across them. */
function readAzureAd(azureAd: SectionReader): ResolvedMicrosoftIdentityOptions {
  const app = readFields(APP_REGISTRATION, azureAd);
  const authority = resolveAuthorityKeys(azureAd, app);
  const redirects = readFields(REDIRECTS, azureAd);
  const callbackPath = callbackPathOf(azureAd, redirects);
  const clientCredentials = readCredentials(azureAd);
  const resolved: ResolvedMicrosoftIdentityOptions = {
    ...app,
    ...authority,
    clientId: app.clientId ?? '',
    ...redirects,
    callbackPath,
    clientCredentials,
    ...readFields(SIGN_IN, azureAd),
  };
  if (redirects.redirectUri !== undefined) resolved.redirectUri = new URL(redirects.redirectUri).href;
  if (resolved.responseMode === 'form_post') {
    azureAd.report.warn(
      azureAd.pathOf('ResponseMode'),
      'is form_post: a cross-site POST from the identity provider does not carry a SameSite=Lax session cookie; ' +
        'use query unless the session cookie is SameSite=None; Secure.',
    );
  }
  return resolved;
}

/** The callback path: `CallbackPath`, else the path of `RedirectUri`, which must end with it. */
function callbackPathOf(azureAd: SectionReader, read: ReadOf<typeof REDIRECTS>): string {
  if (read.redirectUri === undefined) return read.callbackPath;
  const redirectUrl = new URL(read.redirectUri);
  if (!azureAd.has('CallbackPath')) return redirectUrl.pathname;
  if (redirectUrl.pathname !== read.callbackPath) {
    azureAd.report.error(
      azureAd.pathOf('RedirectUri'),
      `must end with the CallbackPath '${read.callbackPath}'${got(redirectUrl.href)}.`,
    );
  }
  return read.callbackPath;
}

const ALL_KEYS = { ...APP_REGISTRATION, ...REDIRECTS, ...AZURE_AD_CREDENTIALS, ...SIGN_IN };

/** The `AzureAd` section, read with its rules. */
export const AZURE_AD_SECTION = section<MicrosoftIdentityOptions, ResolvedMicrosoftIdentityOptions>(
  ALL_KEYS,
  readAzureAd,
  AZURE_AD_NOT_SUPPORTED,
);
