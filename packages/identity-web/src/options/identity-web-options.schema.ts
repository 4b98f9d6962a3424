/**
 * The one place the library's configuration is checked: every key, its default, its form, the
 * rules across keys, and the warnings for insecure-but-legal choices. `normalizeOptions` runs it
 * once at start-up. Paths in messages use configuration form (`AzureAd:ClientId`), whatever the
 * casing of the input, so they match `appsettings.json` and `AzureAd__ClientId` variables alike.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { findKey, isPlainObject } from './configuration-tree';
import type {
  AcquireTokenOptions,
  CredentialDescription,
  CredentialSourceType,
  DownstreamApiOptions,
  HttpMethod,
  ResolvedConsentOptions,
  ResolvedMicrosoftIdentityOptions,
  ResolvedSessionOptions,
  ResolvedTokenCacheOptions,
  SignOutMethod,
} from './identity-web.options';
import { isReservedHeader } from '../http/reserved-headers';
import { isSafeReturnUrl } from '../http/return-url';
import { got, OptionsReport, SectionReader } from './option-fields';

export const DEFAULT_INSTANCE = 'https://login.microsoftonline.com/';
export const DEFAULT_CALLBACK_PATH = '/signin-oidc';
export const DEFAULT_SIGNED_OUT_CALLBACK_PATH = '/signout-callback-oidc';
export const DEFAULT_ACCOUNT_ROUTES_PREFIX = '/account';
/**
 * Name of the session cookie unless `session.cookieName` says otherwise.
 *
 * @example
 * ```ts
 * res.clearCookie(options.session.cookieName); // DEFAULT_SESSION_COOKIE unless configured
 * ```
 */
export const DEFAULT_SESSION_COOKIE = 'iw.sid';

const SUPPORTED_SOURCE_TYPES: readonly CredentialSourceType[] = [
  'ClientSecret',
  'Path',
  'Base64Encoded',
  'SignedAssertionFilePath',
];
/** Microsoft.Identity.Web source types this library does not load (yet): skipped with a warning. */
const OTHER_KNOWN_SOURCE_TYPES = [
  'KeyVault',
  'StoreWithThumbprint',
  'StoreWithDistinguishedName',
  'SignedAssertionFromManagedIdentity',
  'SignedAssertionFromVault',
  'AutoDecryptKeys',
  'CustomSignedAssertion',
];
const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const AZURE_AD_KEYS = [
  'Instance',
  'TenantId',
  'ClientId',
  'Authority',
  'Domain',
  'CallbackPath',
  'SignedOutCallbackPath',
  'PostLogoutRedirectPath',
  'RedirectUri',
  'ClientCredentials',
  'ClientSecret',
  'ClientCertificates',
  'SendX5C',
  'ClientCapabilities',
  'AllowedTenants',
  'InitialScopes',
  'SignUpSignInPolicyId',
  'EditProfilePolicyId',
  'ResetPasswordPolicyId',
  'ClockSkewSeconds',
  'HttpTimeoutMs',
  'ResponseMode',
];
const DOWNSTREAM_API_KEYS = [
  'BaseUrl',
  'RelativePath',
  'Scopes',
  'HttpMethod',
  'RequestAppToken',
  'AcceptHeader',
  'ContentType',
  'QueryParameters',
  'Headers',
  'AcquireTokenOptions',
  'TimeoutMs',
];
const LIBRARY_KEYS = [
  'AccountRoutesPrefix',
  'RequireSignIn',
  'SignOutMethods',
  'Session',
  'TokenCache',
  'Consent',
];
const SIGN_OUT_METHODS: readonly SignOutMethod[] = ['GET', 'POST'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The normalised options the schema produces (the shape of `IdentityWebOptions`). */
export interface NormalizedIdentityWebOptions {
  azureAd: ResolvedMicrosoftIdentityOptions;
  downstreamApis: Record<string, DownstreamApiOptions>;
  session: ResolvedSessionOptions;
  tokenCache: ResolvedTokenCacheOptions;
  accountRoutesPrefix: string;
  requireSignIn: boolean;
  signOutMethods: SignOutMethod[];
  consent: ResolvedConsentOptions;
}

/** `localhost`, `*.localhost` and loopback addresses: where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/**
 * An absolute URL. `https` always; `http` on loopback hosts (with `httpLocalWarning`, when given);
 * `http` elsewhere only when `httpElsewhere` is `'warn'` (a warning), else an error.
 */
function readUrl(
  section: SectionReader,
  key: string,
  rules: { expected: string; httpLocalWarning?: string; httpElsewhere: 'error' | 'warn'; required?: string },
): URL | undefined {
  const text = section.string(key, rules.required ? { required: rules.required } : {});
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    section.report.error(section.pathOf(key), `must be ${rules.expected}${got(text)}.`);
    return undefined;
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') {
    section.report.error(section.pathOf(key), `must be ${rules.expected}${got(text)}.`);
    return undefined;
  }
  if (isLoopbackHost(url.hostname)) {
    if (rules.httpLocalWarning) section.report.warn(section.pathOf(key), rules.httpLocalWarning);
    return url;
  }
  if (rules.httpElsewhere === 'warn') {
    section.report.warn(section.pathOf(key), `uses plain http outside localhost${got(text)}: use https.`);
    return url;
  }
  section.report.error(
    section.pathOf(key),
    `must use https (plain http is accepted only for localhost)${got(text)}.`,
  );
  return undefined;
}

/** A path beginning with one `/`, without its trailing slash (`/` stays `/`). */
function readPath(section: SectionReader, key: string, fallback: string): string {
  const value = section.string(key);
  if (value === undefined) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || /[\s\\?#]/.test(value)) {
    section.report.error(
      section.pathOf(key),
      `must be a path starting with a single '/', without query or spaces, such as '${fallback}'${got(value)}.`,
    );
    return fallback;
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

function trimSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}

/** Reads one `ClientCredentials` (or legacy `ClientCertificates`) entry; `undefined` when unusable. */
function readCredential(
  entry: SectionReader,
  env: Readonly<Record<string, string | undefined>>,
  sendX5c: boolean | undefined,
): CredentialDescription | 'unsupported' | { skipped: string } | undefined {
  const typeText = entry.string('SourceType', {
    required: `the kind of credential: one of ${SUPPORTED_SOURCE_TYPES.join(', ')}.`,
  });
  if (typeText === undefined) return undefined;
  const sourceType = SUPPORTED_SOURCE_TYPES.find((t) => t.toLowerCase() === typeText.toLowerCase());
  if (!sourceType) {
    if (OTHER_KNOWN_SOURCE_TYPES.some((t) => t.toLowerCase() === typeText.toLowerCase()))
      return 'unsupported';
    entry.report.error(
      entry.pathOf('SourceType'),
      `must be one of ${SUPPORTED_SOURCE_TYPES.join(', ')}${got(typeText)}.`,
    );
    return undefined;
  }
  const needs = (key: string, what: string) =>
    entry.string(key, { required: `${what} (SourceType is ${sourceType}).`, secret: true });
  const credential: CredentialDescription = { sourceType };
  const entrySendX5c = entry.boolean('SendX5C') ?? sendX5c;
  if (sourceType === 'ClientSecret') {
    credential.clientSecret = needs('ClientSecret', 'the client secret of the app registration');
    if (credential.clientSecret === undefined) return undefined;
    return credential;
  }
  if (sourceType === 'SignedAssertionFilePath') {
    const path = entry.has('SignedAssertionFileDiskPath')
      ? needs('SignedAssertionFileDiskPath', 'the file holding the client assertion')
      : env.AZURE_FEDERATED_TOKEN_FILE;
    if (path === undefined) {
      entry.report.error(
        entry.pathOf('SignedAssertionFileDiskPath'),
        'is required: the file holding the client assertion (SourceType is SignedAssertionFilePath), ' +
          'or set AZURE_FEDERATED_TOKEN_FILE.',
      );
      return undefined;
    }
    credential.signedAssertionFileDiskPath = path;
    return credential;
  }
  const password = entry.string('CertificatePassword', { secret: true, allowEmpty: true });
  if (password !== undefined) credential.certificatePassword = password;
  if (entrySendX5c !== undefined) credential.sendX5c = entrySendX5c;
  if (sourceType === 'Path') {
    const path = needs('CertificateDiskPath', 'the path of a PEM (certificate and key) or PFX file');
    if (path === undefined) return undefined;
    if (!existsSync(path)) {
      // Skipped like Microsoft.Identity.Web does, so a later credential can serve; an error
      // only when no usable credential is left (see readCredentials).
      entry.report.warn(
        entry.pathOf('CertificateDiskPath'),
        `names a file that does not exist${got(path)}; this credential is skipped.`,
      );
      return {
        skipped: `${entry.pathOf('CertificateDiskPath')} names a file that does not exist${got(path)}`,
      };
    }
    credential.certificateDiskPath = path;
    return credential;
  }
  const value = needs('Base64EncodedValue', 'the certificate (PFX or PEM), base64-encoded');
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(value)) {
    entry.report.error(entry.pathOf('Base64EncodedValue'), 'must be base64-encoded.');
    return undefined;
  }
  credential.base64EncodedValue = value;
  return credential;
}

function readCredentials(
  azureAd: SectionReader,
  env: Readonly<Record<string, string | undefined>>,
): CredentialDescription[] {
  const report = azureAd.report;
  const sendX5c = azureAd.boolean('SendX5C');
  const credentials: CredentialDescription[] = [];
  const problemsBefore = report.problems.length;
  let unsupported = 0;
  const skipped: string[] = [];
  for (const key of ['ClientCredentials', 'ClientCertificates']) {
    (azureAd.array(key) ?? []).forEach((value, i) => {
      const path = `${azureAd.pathOf(key)}:${i}`;
      if (!isPlainObject(value)) {
        report.error(
          path,
          `must be a credential such as { "SourceType": "ClientSecret", "ClientSecret": "..." }.`,
        );
        return;
      }
      const credential = readCredential(new SectionReader(value, path, report), env, sendX5c);
      if (credential === 'unsupported') {
        unsupported += 1;
        report.warn(
          `${path}:SourceType`,
          `is not supported by nest-identity-web; this credential is skipped (supported: ${SUPPORTED_SOURCE_TYPES.join(', ')}).`,
        );
      } else if (credential && 'skipped' in credential) {
        skipped.push(credential.skipped);
      } else if (credential) credentials.push(credential);
    });
  }
  const legacySecret = azureAd.string('ClientSecret', { secret: true });
  if (legacySecret !== undefined)
    credentials.push({ sourceType: 'ClientSecret', clientSecret: legacySecret });
  if (credentials.length === 0 && report.problems.length === problemsBefore) {
    report.error(
      azureAd.pathOf('ClientCredentials'),
      skipped.length > 0
        ? `has no credential nest-identity-web can use: ${skipped.join('; ')}.`
        : unsupported > 0
          ? `has no credential nest-identity-web can use: add one with SourceType ${SUPPORTED_SOURCE_TYPES.join(', ')}.`
          : 'is required: a web app that calls APIs needs at least one client credential, ' +
            'e.g. [{ "SourceType": "ClientSecret", "ClientSecret": "..." }].',
    );
  }
  return credentials;
}

function readAzureAd(
  root: SectionReader,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedMicrosoftIdentityOptions | undefined {
  const azureAd = root.section('AzureAd');
  const report = root.report;
  if (!azureAd) {
    if (!root.has('AzureAd')) {
      report.error(
        'AzureAd',
        'is required: the app registration section (Instance, TenantId, ClientId, ClientCredentials).',
      );
    }
    return undefined;
  }
  for (const key of azureAd.unknownKeys(AZURE_AD_KEYS)) {
    report.warn(azureAd.pathOf(key), 'is not read by nest-identity-web; it is ignored.');
  }

  const clientId = azureAd.string('ClientId', {
    required: 'the application (client) ID of the app registration (a GUID).',
  });
  if (clientId !== undefined && !GUID.test(clientId)) {
    report.warn(
      azureAd.pathOf('ClientId'),
      `is not a GUID${got(clientId, { prefixOnly: true })}: is it still a placeholder?`,
    );
  }

  const policies = {
    signUpSignInPolicyId: azureAd.string('SignUpSignInPolicyId'),
    editProfilePolicyId: azureAd.string('EditProfilePolicyId'),
    resetPasswordPolicyId: azureAd.string('ResetPasswordPolicyId'),
  };
  const isB2C = Object.values(policies).some((p) => p !== undefined);

  const authorityUrl = readUrl(azureAd, 'Authority', {
    expected: 'an absolute https URL such as https://login.microsoftonline.com/<tenant>',
    httpElsewhere: 'error',
    httpLocalWarning: 'uses plain http: accepted on localhost only, for development.',
  });
  const authoritySegments = authorityUrl ? authorityUrl.pathname.split('/').filter(Boolean) : [];
  if (authoritySegments[0]?.toLowerCase() === 'tfp') authoritySegments.shift();

  let instance = DEFAULT_INSTANCE;
  const instanceUrl = readUrl(azureAd, 'Instance', {
    expected: 'an absolute https URL such as https://login.microsoftonline.com/',
    httpElsewhere: 'error',
    httpLocalWarning: 'uses plain http: accepted on localhost only, for development.',
  });
  if (instanceUrl) instance = `${trimSlashes(instanceUrl.href)}/`;
  else if (authorityUrl) instance = `${authorityUrl.origin}/`;

  let domain = azureAd.string('Domain');
  if (domain === undefined && isB2C && authoritySegments.length > 0) domain = authoritySegments[0];
  if (isB2C && domain === undefined) {
    report.error(
      azureAd.pathOf('Domain'),
      'is required with B2C / External ID user flows (SignUpSignInPolicyId...): the tenant domain, e.g. contoso.onmicrosoft.com.',
    );
  }
  if ((policies.editProfilePolicyId || policies.resetPasswordPolicyId) && !policies.signUpSignInPolicyId) {
    report.error(
      azureAd.pathOf('SignUpSignInPolicyId'),
      'is required when EditProfilePolicyId or ResetPasswordPolicyId is given: the user flow users sign in with.',
    );
  }

  let tenantId = azureAd.string('TenantId');
  if (tenantId !== undefined && !/^[A-Za-z0-9.-]+$/.test(tenantId)) {
    report.error(
      azureAd.pathOf('TenantId'),
      `must be a tenant GUID, a domain, or common / organizations / consumers${got(tenantId, { prefixOnly: true })}.`,
    );
  }
  tenantId ??= isB2C ? domain : authoritySegments[0];
  if (tenantId === undefined && !azureAd.has('Authority') && !isB2C) {
    report.error(
      azureAd.pathOf('TenantId'),
      'is required (or give AzureAd:Authority): the directory (tenant) ID, a domain such as ' +
        'contoso.onmicrosoft.com, or common / organizations / consumers.',
    );
  }
  if (authorityUrl && (azureAd.has('Instance') || azureAd.has('TenantId'))) {
    report.warn(azureAd.pathOf('Authority'), 'is given with Instance/TenantId: the Authority wins.');
  }

  let authority: string;
  if (authorityUrl) authority = trimSlashes(trimSlashes(authorityUrl.href).replace(/\/v2\.0$/i, ''));
  else if (policies.signUpSignInPolicyId && domain) {
    authority = `${trimSlashes(instance)}/${domain}/${policies.signUpSignInPolicyId}`;
  } else authority = `${trimSlashes(instance)}/${tenantId ?? ''}`;

  let callbackPath = readPath(azureAd, 'CallbackPath', DEFAULT_CALLBACK_PATH);
  const redirectUrl = readUrl(azureAd, 'RedirectUri', {
    expected: 'an absolute URL such as https://app.example/signin-oidc',
    httpElsewhere: 'warn',
  });
  if (redirectUrl) {
    if (!azureAd.has('CallbackPath')) callbackPath = redirectUrl.pathname;
    else if (redirectUrl.pathname !== callbackPath) {
      report.error(
        azureAd.pathOf('RedirectUri'),
        `must end with the CallbackPath '${callbackPath}'${got(redirectUrl.href)}.`,
      );
    }
  }

  const resolved: ResolvedMicrosoftIdentityOptions = {
    instance,
    tenantId: tenantId ?? '',
    clientId: clientId ?? '',
    authority,
    callbackPath,
    signedOutCallbackPath: readPath(azureAd, 'SignedOutCallbackPath', DEFAULT_SIGNED_OUT_CALLBACK_PATH),
    postLogoutRedirectPath: readPath(azureAd, 'PostLogoutRedirectPath', '/'),
    clientCredentials: readCredentials(azureAd, env),
    clientCapabilities: azureAd.list('ClientCapabilities') ?? [],
    allowedTenants: azureAd.list('AllowedTenants') ?? [],
    initialScopes: azureAd.list('InitialScopes') ?? [],
    clockSkewSeconds: azureAd.number('ClockSkewSeconds', { min: 0 }) ?? 120,
    httpTimeoutMs: azureAd.number('HttpTimeoutMs', { min: 1, integer: true }) ?? 10_000,
    responseMode: azureAd.oneOf('ResponseMode', ['query', 'form_post'] as const) ?? 'query',
  };
  if (domain !== undefined) resolved.domain = domain;
  if (redirectUrl) resolved.redirectUri = redirectUrl.href;
  for (const [key, value] of Object.entries(policies)) {
    if (value !== undefined) resolved[key as keyof typeof policies] = value;
  }
  if (resolved.responseMode === 'form_post') {
    report.warn(
      azureAd.pathOf('ResponseMode'),
      'is form_post: a cross-site POST from the identity provider does not carry a SameSite=Lax session cookie; ' +
        'use query unless the session cookie is SameSite=None; Secure.',
    );
  }
  return resolved;
}

function readAcquireTokenOptions(section: SectionReader | undefined): AcquireTokenOptions | undefined {
  if (!section) return undefined;
  const options: AcquireTokenOptions = {};
  const tenant = section.string('Tenant');
  const claims = section.string('Claims');
  const forceRefresh = section.boolean('ForceRefresh');
  const userFlow = section.string('UserFlow');
  const correlationId = section.string('CorrelationId');
  if (tenant !== undefined) options.tenant = tenant;
  if (claims !== undefined) options.claims = claims;
  if (forceRefresh !== undefined) options.forceRefresh = forceRefresh;
  if (userFlow !== undefined) options.userFlow = userFlow;
  if (correlationId !== undefined) options.correlationId = correlationId;
  return options;
}

function readDownstreamApi(api: SectionReader): DownstreamApiOptions {
  for (const key of api.unknownKeys(DOWNSTREAM_API_KEYS)) {
    api.report.warn(api.pathOf(key), 'is not read by nest-identity-web; it is ignored.');
  }
  const options: DownstreamApiOptions = {};
  const baseUrl = readUrl(api, 'BaseUrl', { expected: 'an absolute http(s) URL', httpElsewhere: 'warn' });
  if (baseUrl) options.baseUrl = api.raw('BaseUrl') as string;
  const fields = {
    relativePath: api.string('RelativePath', { allowEmpty: true }),
    scopes: api.list('Scopes'),
    httpMethod: api.oneOf('HttpMethod', HTTP_METHODS),
    requestAppToken: api.boolean('RequestAppToken'),
    acceptHeader: api.string('AcceptHeader'),
    contentType: api.string('ContentType'),
    queryParameters: api.stringMap('QueryParameters'),
    headers: api.stringMap('Headers'),
    acquireTokenOptions: readAcquireTokenOptions(api.section('AcquireTokenOptions')),
    timeoutMs: api.number('TimeoutMs', { min: 1, integer: true }),
  };
  for (const name of Object.keys(fields.headers ?? {})) {
    if (isReservedHeader(name)) {
      api.report.error(
        `${api.pathOf('Headers')}:${name}`,
        'cannot be set here: the library sets it, or it would let a caller impersonate the app.',
      );
    }
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  if (options.requestAppToken && options.scopes?.some((s) => !s.endsWith('/.default'))) {
    api.report.warn(
      api.pathOf('Scopes'),
      "should be '<resource>/.default' when RequestAppToken is true: app tokens carry the app's granted permissions.",
    );
  }
  return options;
}

function readDownstreamApis(root: SectionReader): Record<string, DownstreamApiOptions> {
  const apis: Record<string, DownstreamApiOptions> = {};
  const single = root.section('DownstreamApi');
  if (single) apis.DownstreamApi = readDownstreamApi(single);
  const named = root.section('DownstreamApis');
  for (const name of Object.keys(named?.values ?? {})) {
    const api = named!.section(name);
    if (api) apis[name] = readDownstreamApi(api);
  }
  return apis;
}

/**
 * The session settings. Without a secret: outside production a random one is generated (with a
 * warning: sessions end at restart and are not shared between instances), so an `appsettings.json`
 * copied unchanged runs; in production (`NODE_ENV=production`) the secret is required.
 */
function readSession(
  library: SectionReader,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedSessionOptions {
  const section = library.section('Session') ?? new SectionReader({}, 'IdentityWeb:Session', library.report);
  const report = section.report;
  let rawSecret = section.raw('Secret');
  const secrets = Array.isArray(rawSecret) ? rawSecret : [rawSecret];
  const how = `set it through the environment variable IdentityWeb__Session__Secret or in code as session.secret`;
  if ((rawSecret === undefined || rawSecret === '') && env.NODE_ENV !== 'production') {
    rawSecret = randomBytes(32).toString('base64url');
    report.warn(
      section.pathOf('Secret'),
      `is not set: using a random secret generated at start-up, so sessions end when the app restarts ` +
        `and are not shared between instances; ${how}.`,
    );
  } else if (rawSecret === undefined || rawSecret === '') {
    report.error(
      section.pathOf('Secret'),
      `is required: a random string of at least 32 characters that signs the session cookie; ${how}.`,
    );
  } else if (secrets.length === 0 || !secrets.every((s) => typeof s === 'string' && s.length >= 32)) {
    report.error(
      section.pathOf('Secret'),
      'must be a string (or an array of strings) of at least 32 characters.',
    );
  }
  const session: ResolvedSessionOptions = {
    secret: (rawSecret ?? '') as string | string[],
    cookieName: section.string('CookieName') ?? DEFAULT_SESSION_COOKIE,
    secure: section.raw('Secure') === 'auto' ? 'auto' : (section.boolean('Secure') ?? 'auto'),
    maxAgeMs: section.number('MaxAgeMs', { min: 1 }) ?? 8 * 60 * 60 * 1000,
    sameSite: section.oneOf('SameSite', ['lax', 'strict', 'none'] as const) ?? 'lax',
  };
  const store = section.raw('Store');
  if (store !== undefined) session.store = store;
  else if (env.NODE_ENV === 'production') {
    report.warn(
      section.pathOf('Store'),
      "is not set: sessions live in express-session's MemoryStore, which is unbounded, lost at restart " +
        'and not shared between instances; give a store (Redis, PostgreSQL...) in production.',
    );
  }
  if (session.secure === false) {
    report.warn(section.pathOf('Secure'), 'is false: the session cookie is sent over plain http too.');
  }
  if (session.sameSite === 'none' && session.secure === false) {
    report.error(
      section.pathOf('SameSite'),
      'none requires Secure (browsers drop SameSite=None cookies without it).',
    );
  }
  return session;
}

function readTokenCache(section: SectionReader | undefined): ResolvedTokenCacheOptions {
  const tokenCache: ResolvedTokenCacheOptions = {
    hotIndexSize: section?.number('HotIndexSize', { min: 0, integer: true }) ?? 100_000,
  };
  const store = section?.raw('Store');
  if (store !== undefined) tokenCache.store = store;
  return tokenCache;
}

/** `Consent`: app-wide challenge handling and its defaults. */
function readConsent(section: SectionReader | undefined): ResolvedConsentOptions {
  const consent: ResolvedConsentOptions = {
    appWide: section?.boolean('AppWide') ?? true,
    formPostFallbackUrl: section?.string('FormPostFallbackUrl') ?? '/',
  };
  if (!section) return consent;
  const scopes = section.list('Scopes');
  const scopeKeySection = section.string('ScopeKeySection');
  const userFlow = section.string('UserFlow');
  if (scopes?.length && scopeKeySection) {
    section.report.error(
      section.pathOf('ScopeKeySection'),
      'cannot be given together with Scopes: choose one.',
    );
  }
  if (!isSafeReturnUrl(consent.formPostFallbackUrl) || !consent.formPostFallbackUrl.startsWith('/')) {
    section.report.error(
      section.pathOf('FormPostFallbackUrl'),
      `must be a path of this app, such as '/'${got(section.raw('FormPostFallbackUrl'))}.`,
    );
  }
  if (scopes?.length) consent.scopes = scopes;
  if (scopeKeySection) consent.scopeKeySection = scopeKeySection;
  if (userFlow) consent.userFlow = userFlow;
  return consent;
}

/** `SignOutMethods`: GET and/or POST (any casing; an array or a space-separated string), default both. */
function readSignOutMethods(library: SectionReader): SignOutMethod[] {
  const listed = library.list('SignOutMethods');
  if (listed === undefined) return [...SIGN_OUT_METHODS];
  const methods = listed.map((m) => m.toUpperCase());
  const valid = methods.length > 0 && methods.every((m) => (SIGN_OUT_METHODS as string[]).includes(m));
  if (!valid) {
    library.report.error(
      library.pathOf('SignOutMethods'),
      `must list GET and/or POST, such as ['POST']${got(library.raw('SignOutMethods'))}.`,
    );
    return [...SIGN_OUT_METHODS];
  }
  return [...new Set(methods as SignOutMethod[])];
}

/** `base` overlaid by `overlay`, keys matched case-insensitively (one level). */
function mergeSections(
  base: Record<string, unknown>,
  overlay: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) merged[findKey(merged, key) ?? key] = value;
  return merged;
}

/**
 * The library's own settings: top-level keys (`accountRoutesPrefix`...) overlaid by the
 * `IdentityWeb` section, which environment variables (`IdentityWeb__RequireSignIn`) can reach.
 */
function librarySettings(root: SectionReader): SectionReader {
  const merged: Record<string, unknown> = {};
  for (const key of LIBRARY_KEYS) {
    const value = root.raw(key);
    if (value !== undefined) merged[key] = value;
  }
  const identityWeb = root.section('IdentityWeb');
  for (const [key, value] of Object.entries(identityWeb?.values ?? {})) {
    const target = findKey(merged, key) ?? key;
    const existing = merged[target];
    // Sections merge key by key, so IdentityWeb__Session__Secret keeps a store given in code.
    merged[target] = isPlainObject(existing) && isPlainObject(value) ? mergeSections(existing, value) : value;
  }
  return new SectionReader(merged, identityWeb ? 'IdentityWeb' : '', root.report);
}

/**
 * Checks a resolved configuration tree (environment overrides already applied) and builds the
 * normalised options. Never throws: every problem and warning lands in `report`.
 */
export function readIdentityWebOptions(
  tree: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  report: OptionsReport,
): NormalizedIdentityWebOptions {
  const root = new SectionReader(tree, '', report);
  const azureAd = readAzureAd(root, env);
  const library = librarySettings(root);
  const session = readSession(library, env);
  const options: NormalizedIdentityWebOptions = {
    azureAd: azureAd ?? ({} as ResolvedMicrosoftIdentityOptions),
    downstreamApis: readDownstreamApis(root),
    tokenCache: readTokenCache(library.section('TokenCache')),
    accountRoutesPrefix: readPath(library, 'AccountRoutesPrefix', DEFAULT_ACCOUNT_ROUTES_PREFIX),
    requireSignIn: library.boolean('RequireSignIn') ?? true,
    signOutMethods: readSignOutMethods(library),
    consent: readConsent(library.section('Consent')),
    session,
  };
  return options;
}
