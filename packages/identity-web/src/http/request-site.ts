import type { HttpRequestLike } from './browser-request';

/**
 * Where a request came from, as the browser says:
 * - `same-origin`: `Sec-Fetch-Site: same-origin` (or `none`: typed, a bookmark), or an `Origin`
 *   equal to the app's origin or one of the trusted origins;
 * - `cross-origin`: another origin (another site, another port or a sibling subdomain), or
 *   `Origin: null` (a sandboxed frame, a redirect across origins);
 * - `unknown`: neither header (an old browser, or a client that is not a browser).
 */
export type RequestSite = 'same-origin' | 'cross-origin' | 'unknown';

function single(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.length === 0 ? undefined : text;
}

/**
 * Where a request came from ({@link RequestSite}), read from Fetch Metadata (`Sec-Fetch-Site`) and,
 * when a browser does not send it, from `Origin`. `trustedOrigins` (exact origins such as
 * `https://admin.example`) count as this app's own.
 *
 * @example
 * ```ts
 * if (requestSite(req, 'https://app.example') === 'cross-origin') res.status(403).end();
 * ```
 */
export function requestSite(
  req: HttpRequestLike,
  appOrigin: string,
  trustedOrigins: readonly string[] = [],
): RequestSite {
  const site = single(req.headers['sec-fetch-site'])?.toLowerCase();
  const origin = single(req.headers.origin);
  const trusted = origin !== undefined && (origin === appOrigin || trustedOrigins.includes(origin));
  if (site === 'same-origin' || site === 'none') return 'same-origin';
  if (site !== undefined) return trusted ? 'same-origin' : 'cross-origin';
  if (origin === undefined) return 'unknown';
  return trusted ? 'same-origin' : 'cross-origin';
}
