import type { IncomingHttpHeaders } from 'node:http';

/** The parts of an Express request the HTTP helpers read. */
export interface HttpRequestLike {
  method?: string;
  headers: IncomingHttpHeaders;
  originalUrl?: string;
  url?: string;
  protocol?: string;
  get?(name: string): string | undefined;
}

function header(req: HttpRequestLike, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).toLowerCase();
}

/**
 * `true` when the response will be shown to a person: the client accepts HTML.
 *
 * @example
 * ```ts
 * if (acceptsHtml(req)) res.type('html').send(page); else res.json(body);
 * ```
 */
export function acceptsHtml(req: HttpRequestLike): boolean {
  return header(req, 'accept').includes('text/html');
}

/**
 * `true` for a top-level browser navigation of any method (a link, a form POST), as opposed to a
 * `fetch`/XHR call: `Sec-Fetch-Mode: navigate` when the browser sends it, else an `Accept` with
 * HTML and no `X-Requested-With`.
 *
 * @example
 * ```ts
 * if (isTopLevelNavigation(req)) res.redirect(303, '/done'); else res.json({ done: true });
 * ```
 */
export function isTopLevelNavigation(req: HttpRequestLike): boolean {
  if (header(req, 'x-requested-with') === 'xmlhttprequest') return false;
  const mode = header(req, 'sec-fetch-mode');
  if (mode) return mode === 'navigate';
  return acceptsHtml(req);
}

/**
 * `true` for a top-level browser navigation that may be redirected to sign in: a GET (or HEAD)
 * that {@link isTopLevelNavigation}. API and `fetch` callers get a 401 instead.
 *
 * @example
 * ```ts
 * if (isBrowserNavigation(req)) res.redirect(`/account/signin?returnUrl=${encodeURIComponent(req.originalUrl)}`);
 * ```
 */
export function isBrowserNavigation(req: HttpRequestLike): boolean {
  const method = (req.method ?? 'GET').toUpperCase();
  return (method === 'GET' || method === 'HEAD') && isTopLevelNavigation(req);
}

/**
 * The origin the browser used to reach the app (`https://app.example:8443`), from the
 * request's protocol (honouring Express's `trust proxy`) and `Host` header.
 *
 * @example
 * ```ts
 * const redirectUri = `${requestOrigin(req)}/signin-oidc`;
 * ```
 */
export function requestOrigin(req: HttpRequestLike): string {
  const protocol = req.protocol ?? 'http';
  const host = req.get?.('host') ?? req.headers.host ?? 'localhost';
  return `${protocol}://${host}`;
}

/**
 * Path and query of the request as the browser asked for it (`/profile?tab=2`).
 *
 * @example
 * ```ts
 * const returnUrl = requestPathAndQuery(req);
 * ```
 */
export function requestPathAndQuery(req: HttpRequestLike): string {
  return req.originalUrl ?? req.url ?? '/';
}
