/**
 * `DownstreamApis`: the named APIs the app calls, the legacy single `DownstreamApi` section
 * (registered under the name `DownstreamApi`), and APIs kept in sections of their own
 * (`downstreamApiSections`).
 */
import { isReservedHeader } from '../http/reserved-headers';
import { findKey } from './configuration-tree';
import { ACQUIRE_TOKEN_NOT_SUPPORTED, DOWNSTREAM_API_NOT_SUPPORTED } from './not-supported.keys';
import { HTTP_TRANSPORTS } from './http.section';
import type { FieldAt } from './option-field';
import { boolean, list, number, oneOf, section, sectionMap, string, stringMap, url } from './option-kinds';
import { readFields } from './option-section';
import type { InputOf } from './option-types';
import type { SectionReader } from './section-reader';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * An HTTP method a downstream API call may use.
 *
 * @example
 * ```ts
 * const method: HttpMethod = 'PATCH';
 * ```
 */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The keys of `AcquireTokenOptions`. */
const ACQUIRE_TOKEN_OPTIONS = {
  /** Tenant to get the token in (guest users, multi-tenant apps). */
  tenant: string(),
  /** Claims (JSON) the resource demands, from a claims challenge. */
  claims: string(),
  /** Ask the identity provider for a new token; the cached one is dropped (a resource refused it). */
  forceRefresh: boolean(),
  /** B2C / External ID user flow. */
  userFlow: string(),
  /** Sent to the identity provider with the token request, to find it in its logs. */
  correlationId: string(),
};

/**
 * Options of one token request; also the `acquireTokenOptions` of a downstream API call.
 *
 * @example
 * ```ts
 * const options: AcquireTokenOptions = { tenant: 'fabrikam.onmicrosoft.com', forceRefresh: true };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface AcquireTokenOptions extends InputOf<typeof ACQUIRE_TOKEN_OPTIONS> {}

/** Headers the library sets itself, or that would let a caller impersonate the app, are refused. */
function refuseReservedHeaders(headers: Record<string, string>, at: FieldAt): Record<string, string> {
  for (const name of Object.keys(headers).filter((name) => isReservedHeader(name))) {
    at.section.report.error(
      `${at.path}:${name}`,
      'cannot be set here: the library sets it, or it would let a caller impersonate the app.',
    );
  }
  return headers;
}

/** The keys of one downstream API. */
const DOWNSTREAM_API = {
  /** Where the API lives, e.g. `https://graph.microsoft.com/v1.0`. */
  baseUrl: url({ expected: 'an absolute http(s) URL', httpElsewhere: 'warn' }),
  /** Appended to `baseUrl`, e.g. `me`. */
  relativePath: string({ allowEmpty: true }),
  /** Scopes of the token the API needs; `<resource>/.default` with `requestAppToken`. */
  scopes: list(),
  /** Default `GET`. */
  httpMethod: oneOf(HTTP_METHODS),
  /** Call with the app's own token (client credentials) instead of the user's. */
  requestAppToken: boolean(),
  /** The `Accept` header. */
  acceptHeader: string(),
  /** The `Content-Type` of the request body. */
  contentType: string(),
  /** Added to the query string of every call. */
  queryParameters: stringMap(),
  /** Added to the query string of every call, as Microsoft.Identity.Web names it; merged into `queryParameters`. */
  extraQueryParameters: stringMap().foldedInto('queryParameters'),
  /** Added to every call; the headers the library sets itself cannot be set here. */
  headers: stringMap({ rule: refuseReservedHeaders }),
  /** Added to every call, as Microsoft.Identity.Web names it; merged into `headers`. */
  extraHeaderParameters: stringMap({ rule: refuseReservedHeaders }).foldedInto('headers'),
  /** How the token for the API is acquired. */
  acquireTokenOptions: section<AcquireTokenOptions>(
    ACQUIRE_TOKEN_OPTIONS,
    undefined,
    ACQUIRE_TOKEN_NOT_SUPPORTED,
  ),
  /** Give up on the API after this many milliseconds without an answer. Default 30 000. */
  timeoutMs: number({ min: 1, integer: true }),
  /** The HTTP client for this API: `axios` or `undici`. Default `IdentityWeb:Http:Transport`. */
  transport: oneOf(HTTP_TRANSPORTS),
  /** Redirects followed per call; `0` returns the 3xx answer. Default `IdentityWeb:Http:MaxRedirects`. */
  maxRedirects: number({ min: 0, integer: true }),
  /**
   * Follow a redirect to another origin for methods other than GET and HEAD too (always without
   * the `Authorization` header). Default `false`: such a redirect is refused with an error.
   */
  allowCrossOriginRedirects: boolean(),
};

/**
 * One entry of `DownstreamApis`: a named API the app calls.
 *
 * @example
 * ```ts
 * const graph: DownstreamApiOptions = { baseUrl: 'https://graph.microsoft.com/v1.0', scopes: ['user.read'] };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface DownstreamApiOptions extends InputOf<typeof DOWNSTREAM_API> {}

/**
 * One downstream API: its keys (Microsoft.Identity.Web's `ExtraQueryParameters` and
 * `ExtraHeaderParameters` merged under ours), then a warning for app-token scopes that are not `/.default`.
 */
function readDownstreamApi(api: SectionReader): DownstreamApiOptions {
  const options = readFields(DOWNSTREAM_API, api);
  const extraQuery = DOWNSTREAM_API.extraQueryParameters.read(api, 'extraQueryParameters');
  const extraHeaders = DOWNSTREAM_API.extraHeaderParameters.read(api, 'extraHeaderParameters');
  if (extraQuery) options.queryParameters = { ...extraQuery, ...options.queryParameters };
  if (extraHeaders) options.headers = { ...extraHeaders, ...options.headers };
  if (options.requestAppToken && options.scopes?.some((s) => !s.endsWith('/.default'))) {
    api.report.warn(
      api.pathOf('Scopes'),
      "should be '<resource>/.default' when RequestAppToken is true: app tokens carry the app's granted permissions.",
    );
  }
  return options;
}

/** One downstream API section, wherever it is: its unknown keys warned about, then read. */
const DOWNSTREAM_API_SECTION = section<DownstreamApiOptions>(
  DOWNSTREAM_API,
  readDownstreamApi,
  DOWNSTREAM_API_NOT_SUPPORTED,
);

/** The top-level keys that hold downstream APIs. */
export const DOWNSTREAM_APIS = {
  /** Named APIs the app calls, e.g. `{ GraphAPI: { baseUrl, scopes } }`. */
  downstreamApis: sectionMap<DownstreamApiOptions>(
    DOWNSTREAM_API,
    readDownstreamApi,
    DOWNSTREAM_API_NOT_SUPPORTED,
  ).default({}),
  /** Legacy single API, as `DownstreamApi` in older appsettings; registered under the name `DownstreamApi`. */
  downstreamApi: DOWNSTREAM_API_SECTION.foldedInto('downstreamApis'),
};

/** The downstream APIs by name, and the key path of each one's section. */
export interface DownstreamApisRead {
  apis: Record<string, DownstreamApiOptions>;
  paths: Record<string, string>;
}

/**
 * The downstream APIs by name: the legacy `DownstreamApi` first, then `DownstreamApis`, then the
 * sections `sections` names (API name → key path), each registered under its name.
 */
export function readDownstreamApis(
  root: SectionReader,
  sections: Record<string, string> = {},
): DownstreamApisRead {
  const single = DOWNSTREAM_APIS.downstreamApi.read(root, 'downstreamApi');
  const named = DOWNSTREAM_APIS.downstreamApis.read(root, 'downstreamApis') ?? {};
  const apis: Record<string, DownstreamApiOptions> = single
    ? { DownstreamApi: single, ...named }
    : { ...named };
  const paths: Record<string, string> = {};
  for (const name of Object.keys(apis))
    paths[name] = name === 'DownstreamApi' && single ? 'DownstreamApi' : `DownstreamApis:${name}`;
  for (const [name, keyPath] of Object.entries(sections)) {
    const sub = root.sectionAt(keyPath);
    if (!sub) {
      if (root.report.problems.every((p) => p.path !== keyPath)) {
        root.report.error(
          keyPath,
          `is required: downstreamApiSections names it as the section of the API ${name}.`,
        );
      }
      continue;
    }
    const clash = findKey(apis, name);
    if (clash !== undefined) {
      root.report.error(
        paths[clash]!,
        `is also given by downstreamApiSections (${name}: '${keyPath}'): keep one of the two.`,
      );
      continue;
    }
    apis[name] = DOWNSTREAM_API_SECTION.readSection(sub);
    paths[name] = keyPath;
  }
  return { apis, paths };
}
