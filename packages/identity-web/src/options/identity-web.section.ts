/**
 * `IdentityWeb`: the library's own settings. They may also be given at the top level in camelCase
 * (`accountRoutesPrefix`, `session`...); the `IdentityWeb` section, which environment variables
 * such as `IdentityWeb__RequireSignIn` reach, wins over them.
 */
import proxyaddr from 'proxy-addr';
import type { TrustedProxies } from '../http/public-origin';
import { findKey, isPlainObject } from './configuration-tree';
import { CONSENT_SECTION } from './consent.section';
import { got } from './got';
import { HTTP_SECTION } from './http.section';
import { boolean, custom, oneOf, path } from './option-kinds';
import { knownKeys, readFields, warnUnknownKeys } from './option-section';
import type { ReadOf } from './option-types';
import { SectionReader } from './section-reader';
import { SECTION_NAMES } from './section-names';
import { SESSION_SECTION } from './session.section';
import { TOKEN_CACHE_SECTION } from './token-cache.section';

const SIGN_OUT_METHODS = ['GET', 'POST'] as const;

/**
 * A method `{accountRoutesPrefix}/signout` may answer.
 *
 * @example
 * ```ts
 * const signOutMethods: SignOutMethod[] = ['POST'];
 * ```
 */
export type SignOutMethod = (typeof SIGN_OUT_METHODS)[number];

/** `SignOutMethods`: GET and/or POST, in any casing, as an array or a space-separated string. */
function readSignOutMethods(library: SectionReader, key: string): readonly SignOutMethod[] | undefined {
  const listed = library.list(key);
  if (listed === undefined) return undefined;
  const methods = listed.map((m) => m.toUpperCase());
  if (methods.length === 0 || !methods.every((m) => (SIGN_OUT_METHODS as readonly string[]).includes(m))) {
    library.report.error(
      library.pathOf(key),
      `must list GET and/or POST, such as ['POST']${got(library.raw(key))}.`,
    );
    return undefined;
  }
  return [...new Set(methods as SignOutMethod[])];
}

/** `TrustedOrigins`: exact origins (`https://admin.example`, no path), as an array or a space-separated string. */
function readTrustedOrigins(library: SectionReader, key: string): readonly string[] | undefined {
  const listed = library.list(key);
  if (listed === undefined) return undefined;
  const origins: string[] = [];
  for (const entry of listed) {
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || origin === 'null' || origin !== entry.replace(/\/$/, '').toLowerCase()) {
      library.report.error(
        library.pathOf(key),
        `must list origins such as 'https://admin.example' (scheme, host and port, no path): '${entry}' is not one.`,
      );
      return undefined;
    }
    origins.push(origin);
  }
  return origins;
}

/** `ShowErrorDetails`: as written; when absent, `false` with `NODE_ENV=production`, else `true`. */
function readShowErrorDetails(library: SectionReader, key: string): boolean | undefined {
  if (library.raw(key) !== undefined) return library.boolean(key);
  return library.env.NODE_ENV !== 'production';
}

/**
 * `ForwardedHeaders`: the proxies trusted to say how the browser reached the app, in Express's
 * `trust proxy` terms: a hop count (`1`, also as the string `"1"`), or addresses and subnets as an
 * array or a comma/space-separated string (`loopback`, `10.0.0.0/8`). `true` is refused: it would
 * let any client choose the origin.
 */
function readForwardedHeaders(library: SectionReader, key: string): TrustedProxies | undefined {
  const value = library.raw(key);
  if (value === undefined || value === '') return undefined;
  const howTo =
    "must be the number of proxies in front of the app (such as 1) or their addresses (such as 'loopback' or '10.0.0.0/8')";
  if (value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true')) {
    library.report.error(
      library.pathOf(key),
      `${howTo}: true would trust any client's X-Forwarded-* headers.`,
    );
    return undefined;
  }
  const count = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof count === 'number') {
    if (!Number.isInteger(count) || count < 0)
      library.report.error(library.pathOf(key), `${howTo}${got(value)}.`);
    return count;
  }
  const entries = typeof value === 'string' ? value.split(/[\s,]+/).filter((e) => e !== '') : value;
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every((e) => typeof e === 'string')) {
    library.report.error(library.pathOf(key), `${howTo}${got(value)}.`);
    return undefined;
  }
  try {
    proxyaddr.compile(entries as string[]);
  } catch (err) {
    library.report.error(library.pathOf(key), `${howTo}: ${(err as Error).message}.`);
    return undefined;
  }
  return entries as string[];
}

/** `AllowedHosts`: host names (`app.example`, `*.example.com`, `*`), as an array or a comma/space-separated string. */
function readAllowedHosts(library: SectionReader, key: string): readonly string[] | undefined {
  const value = library.raw(key);
  if (value === undefined) return undefined;
  const entries =
    typeof value === 'string' ? value.split(/[\s,;]+/).filter((e) => e !== '') : library.list(key);
  if (entries === undefined) return undefined;
  const bad = entries.find((e) => !/^(\*|(\*\.)?[a-z0-9.-]+|\[[0-9a-f:.]+\])$/i.test(e));
  if (bad !== undefined || entries.length === 0) {
    library.report.error(
      library.pathOf(key),
      `must list host names without scheme or port, such as 'app.example' or '*.example.com'${got(value)}.`,
    );
    return undefined;
  }
  if (entries.includes('*')) {
    library.report.warn(
      library.pathOf(key),
      "is '*': without AzureAd:RedirectUri, the Host header of each request chooses the redirect URIs sent to the identity provider; list the app's host names or set AzureAd:RedirectUri.",
    );
  }
  return entries.map((e) => e.toLowerCase());
}

/** Hosts accepted when neither `AllowedHosts` nor `AzureAd:RedirectUri` is set: this machine only. */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The keys of `IdentityWeb`, in reading order. */
export const IDENTITY_WEB = {
  /**
   * Browser session settings. Always present once validated: without a secret, a random one is
   * generated outside production (with a warning).
   */
  session: SESSION_SECTION.always('IdentityWeb:Session'),
  /** Token cache settings: in memory by default. */
  tokenCache: TOKEN_CACHE_SECTION.always(),
  /** Prefix of the account routes (sign-in, sign-out, challenge). Default `/account`. */
  accountRoutesPrefix: path('/account'),
  /** Require sign-in on every route unless marked `@AllowAnonymous()`. Default `true`. */
  requireSignIn: boolean().default(true),
  /**
   * Methods `{accountRoutesPrefix}/signout` answers. Default `['GET', 'POST']`. `['POST']` refuses a
   * GET with 405: sign out with a form (`<form method="post" action="/account/signout">`). Either
   * way, a sign-out another origin asks for is refused.
   */
  signOutMethods: custom(readSignOutMethods).default(SIGN_OUT_METHODS),
  /**
   * Refuse unsafe requests (POST, PUT, PATCH, DELETE) that carry the user's session cookie when the
   * browser says another origin sent them (Fetch Metadata `Sec-Fetch-Site`, else `Origin`): 403.
   * Default `true`; `@AllowCrossOrigin()` opts a route out.
   */
  crossOriginProtection: boolean().default(true),
  /**
   * Other origins whose pages may sign users out and send unsafe requests (POST, PUT, PATCH,
   * DELETE) to the app with its session cookie, such as `['https://admin.example']`. Default none:
   * only the app's own origin.
   */
  trustedOrigins: custom(readTrustedOrigins).default([]),
  /**
   * What the error pages and JSON answers of the library tell the visitor. `false` (the default
   * with `NODE_ENV=production`): a short message and a correlation id, the details only in the
   * log, under that id. `true` (the default otherwise): the error's own message too, marked as
   * development detail. Either way the log has the details and the correlation id.
   */
  showErrorDetails: custom(readShowErrorDetails),
  /**
   * How much MSAL (token requests, the token cache) logs through Nest's logger under the context
   * `IdentityWeb`: `Error` (default), `Warning`, `Info` or `Verbose`. Personal data (PII) and tokens
   * are never logged, at any level.
   */
  logLevel: oneOf(['Error', 'Warning', 'Info', 'Verbose'] as const).default('Error'),
  /**
   * The reverse proxies trusted to say how browsers reach the app (Express's `trust proxy`): a hop
   * count (`1`) or addresses and subnets (`['loopback', '10.0.0.0/8']`). When the peer is trusted,
   * `Forwarded` (else `X-Forwarded-Proto` / `X-Forwarded-Host`) decide the public origin: the
   * session cookie's `Secure` flag, redirect URIs, same-origin checks. Default none: the headers
   * are ignored.
   */
  forwardedHeaders: custom(readForwardedHeaders),
  /**
   * Host names the app answers to when `AzureAd:RedirectUri` is not set, so a spoofed `Host`
   * header cannot choose the redirect URIs sent to the identity provider: `['app.example']`,
   * `*.example.com`, or `*` for any. Default `localhost`, `127.0.0.1` and `[::1]` only.
   */
  allowedHosts: custom(readAllowedHosts).default(LOCAL_HOSTS),
  /** How consent and conditional-access challenges are handled. */
  consent: CONSENT_SECTION.always(),
  /** How `DownstreamApiService` sends requests: the HTTP client (`axios` or `undici`) and redirects. */
  http: HTTP_SECTION.always(),
};

/** `base` overlaid by `overlay`, keys matched case-insensitively (one level). */
function mergeSections(
  base: Record<string, unknown>,
  overlay: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) merged[findKey(merged, key) ?? key] = value;
  return merged;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? (value as Record<string, unknown>) : {};
}

/** Every key the library's settings may hold: its own, and the names of the sections it reads. */
const LIBRARY_KEYS = { ...SECTION_NAMES, ...IDENTITY_WEB };

/**
 * The library's settings: its top-level keys overlaid by the `IdentityWeb` section. Top-level keys
 * it does not know are other sections of the app's configuration: only `IdentityWeb`'s own unknown
 * keys are warned about, once, by {@link readIdentityWeb}.
 */
export function identityWebSettings(root: SectionReader): SectionReader {
  const merged: Record<string, unknown> = {};
  for (const key of knownKeys(LIBRARY_KEYS)) {
    // ASP.NET's appsettings.json template has a top-level "AllowedHosts": "*" for its own host
    // filtering: not ours. At the top level only the camelCase option given in code counts.
    if (key.toLowerCase() === 'allowedhosts' && !Object.hasOwn(asRecord(root.values), 'allowedHosts'))
      continue;
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
  return new SectionReader(merged, identityWeb ? 'IdentityWeb' : '', root.report, root.env);
}

/** Reads the library's settings (from {@link identityWebSettings}), warning about unknown `IdentityWeb` keys. */
export function readIdentityWeb(settings: SectionReader): ReadOf<typeof IDENTITY_WEB> {
  warnUnknownKeys(settings, LIBRARY_KEYS);
  const read = readFields(IDENTITY_WEB, settings);
  const { session: sessions, tokenCache } = read;
  const sessionStore =
    sessions.store ?? sessions.redis ?? sessions.postgres ?? tokenCache.redis ?? tokenCache.postgres;
  if (sessionStore === undefined && sessions.mode === 'store' && settings.env.NODE_ENV === 'production') {
    settings.report.warn(
      'IdentityWeb:Session:Redis:ConnectionString',
      "is not set: sessions live in express-session's MemoryStore, which is unbounded, lost at restart " +
        'and not shared between instances; in production set it (or IdentityWeb:Session:Postgres:ConnectionString, ' +
        'or a TokenCache Redis/Postgres store, which sessions then share, or session.store in code), ' +
        'or keep sessions in the cookie itself with IdentityWeb:Session:Mode "cookie".',
    );
  }
  return read;
}
