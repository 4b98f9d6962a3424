/**
 * `DownstreamApis`: the named APIs the app calls, and the legacy single `DownstreamApi` section,
 * registered under the name `DownstreamApi`.
 */
import { isReservedHeader } from '../http/reserved-headers';
import { boolean, list, number, oneOf, section, sectionMap, string, stringMap, url } from './option-kinds';
import { readFields, warnUnknownKeys } from './option-section';
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
  /** Added to every call; the headers the library sets itself cannot be set here. */
  headers: stringMap({
    rule: (headers, at) => {
      for (const name of Object.keys(headers).filter((name) => isReservedHeader(name))) {
        at.section.report.error(
          `${at.path}:${name}`,
          'cannot be set here: the library sets it, or it would let a caller impersonate the app.',
        );
      }
      return headers;
    },
  }),
  /** How the token for the API is acquired. */
  acquireTokenOptions: section<AcquireTokenOptions>(ACQUIRE_TOKEN_OPTIONS),
  /** Give up on the API after this many milliseconds. Default 30 000. */
  timeoutMs: number({ min: 1, integer: true }),
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

/** One downstream API: its keys, then a warning for app-token scopes that are not `/.default`. */
function readDownstreamApi(api: SectionReader): DownstreamApiOptions {
  warnUnknownKeys(api, DOWNSTREAM_API);
  const options = readFields(DOWNSTREAM_API, api);
  if (options.requestAppToken && options.scopes?.some((s) => !s.endsWith('/.default'))) {
    api.report.warn(
      api.pathOf('Scopes'),
      "should be '<resource>/.default' when RequestAppToken is true: app tokens carry the app's granted permissions.",
    );
  }
  return options;
}

/** The top-level keys that hold downstream APIs. */
export const DOWNSTREAM_APIS = {
  /** Named APIs the app calls, e.g. `{ GraphAPI: { baseUrl, scopes } }`. */
  downstreamApis: sectionMap<DownstreamApiOptions>(DOWNSTREAM_API, readDownstreamApi).default({}),
  /** Legacy single API, as `DownstreamApi` in older appsettings; registered under the name `DownstreamApi`. */
  downstreamApi: section<DownstreamApiOptions>(DOWNSTREAM_API, readDownstreamApi).foldedInto(
    'downstreamApis',
  ),
};

/** The downstream APIs by name: the legacy `DownstreamApi` first, then `DownstreamApis`. */
export function readDownstreamApis(root: SectionReader): Record<string, DownstreamApiOptions> {
  const single = DOWNSTREAM_APIS.downstreamApi.read(root, 'downstreamApi');
  const named = DOWNSTREAM_APIS.downstreamApis.read(root, 'downstreamApis') ?? {};
  return single ? { DownstreamApi: single, ...named } : named;
}
