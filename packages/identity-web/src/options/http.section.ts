/**
 * `IdentityWeb:Http`: how `DownstreamApiService` sends requests. Each downstream API may choose
 * otherwise under `DownstreamApis:<name>` (`Transport`, `MaxRedirects`).
 */
import { number, oneOf, section } from './option-kinds';
import type { InputOf, ResolvedOf } from './option-types';

/** The HTTP clients `DownstreamApiService` can send with. */
export const HTTP_TRANSPORTS = ['axios', 'undici'] as const;

/**
 * An HTTP client `DownstreamApiService` sends with: `axios` (the library's own `@nestjs/axios`
 * instance) or `undici` (a keep-alive connection pool per origin).
 *
 * @example
 * ```ts
 * const transport: HttpTransport = 'undici';
 * ```
 */
export type HttpTransport = (typeof HTTP_TRANSPORTS)[number];

/** The keys of `IdentityWeb:Http`. */
const HTTP = {
  /**
   * The HTTP client of downstream calls: `axios` (default) or `undici`, which costs the app about
   * half as much CPU per call. `DownstreamApis:<name>:Transport` chooses for one API.
   */
  transport: oneOf(HTTP_TRANSPORTS).default('axios'),
  /**
   * Redirects followed per call, by the library (never by the HTTP client). Default 5; `0` returns
   * the 3xx answer as it is. `DownstreamApis:<name>:MaxRedirects` chooses for one API.
   */
  maxRedirects: number({ min: 0, integer: true }).default(5),
};

/**
 * How `DownstreamApiService` sends requests (`IdentityWeb:Http`).
 *
 * @example
 * ```ts
 * const http: HttpOptions = { transport: 'undici', maxRedirects: 3 };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface HttpOptions extends InputOf<typeof HTTP> {}

/** `http` once validated: defaults filled in. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedHttpOptions extends ResolvedOf<typeof HTTP> {}

/** The `HTTP` section. */
export const HTTP_SECTION = section<HttpOptions, ResolvedHttpOptions>(HTTP);
