import { isTopLevelNavigation, requestPathAndQuery, type HttpRequestLike } from './browser-request';
import { isSafeReturnUrl, resolveReturnUrl, type ReturnUrlOptions } from './return-url';

/**
 * Request header in which a page states where to come back to after a sign-in or consent round
 * trip that one of its `fetch` calls starts (a same-origin path such as `/emails?folder=inbox`).
 * The browser helper (`nest-identity-web/browser`) sets it to the page's own URL.
 *
 * @example
 * ```ts
 * await fetch('/api/emails', { headers: { [RETURN_URL_HEADER]: location.pathname + location.search } });
 * ```
 */
export const RETURN_URL_HEADER = 'x-return-url';

function headerText(req: HttpRequestLike, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/**
 * The page to bring the browser back to after a round trip that `req` makes necessary: for a
 * page load (a top-level GET), the request's own path and query; for a `fetch`/XHR call or a form
 * POST, the page that made it: the {@link RETURN_URL_HEADER} it stated, else its same-origin
 * `Referer`, else (GET only) the requested URL itself, else `fallback`. Never another origin.
 *
 * @example
 * ```ts
 * callerPage(req, { origin: 'https://app.example', fallback: '/' }); // '/emails' for a fetch made by /emails
 * ```
 */
export function callerPage(req: HttpRequestLike, options: ReturnUrlOptions): string {
  const method = (req.method ?? 'GET').toUpperCase();
  const isGet = method === 'GET' || method === 'HEAD';
  const own = requestPathAndQuery(req);
  if (isGet && isTopLevelNavigation(req)) return resolveReturnUrl(own, options);
  const candidates = [headerText(req, RETURN_URL_HEADER), headerText(req, 'referer')];
  if (isGet) candidates.push(own);
  for (const candidate of candidates) {
    if (candidate !== undefined && isSafeReturnUrl(candidate, options))
      return resolveReturnUrl(candidate, options);
  }
  return options.fallback ?? '/';
}
