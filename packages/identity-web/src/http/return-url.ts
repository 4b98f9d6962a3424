import { InvalidReturnUrlError } from '../errors';

/**
 * Longest return URL accepted; longer values are refused rather than truncated.
 *
 * @example
 * ```ts
 * resolveReturnUrl('/' + 'a'.repeat(MAX_RETURN_URL_LENGTH)); // '/' (refused)
 * ```
 */
export const MAX_RETURN_URL_LENGTH = 2048;

/**
 * Where a return URL may point: the app's own origin.
 *
 * @example
 * ```ts
 * const options: ReturnUrlOptions = { origin: `${req.protocol}://${req.get('host')}`, fallback: '/home' };
 * ```
 */
export interface ReturnUrlOptions {
  /**
   * The app's origin (`https://app.example:8443`; a full URL is reduced to its origin). Absolute
   * return URLs are accepted only when their origin is exactly this one. Without it only
   * relative paths (`/x?y`) are accepted.
   */
  origin?: string;
  /** What {@link resolveReturnUrl} answers for a missing or refused candidate. Trusted as is. Default `/`. */
  fallback?: string;
}

// Control characters (tab, CR, LF, NUL...), DEL and backslashes: browsers strip or reinterpret
// them (`/\t/evil` becomes `//evil`, `/\evil` becomes `//evil`), so they never appear in a safe value.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f\\]/;
const ABSOLUTE_HTTP_URL = /^https?:\/\//i;

/**
 * Checks a return URL and gives back the same-origin part to redirect to, or the reason it is refused.
 * Accepted: a path starting with a single `/` (with query and fragment), or an absolute `http(s)` URL
 * whose origin is exactly `options.origin` and that carries no user-info. The answer keeps path,
 * query and fragment (`/x?y#z`), normalised by the WHATWG URL parser (`/a/../b` → `/b`).
 */
function check(candidate: unknown, options: ReturnUrlOptions): { path: string } | { refused: string } {
  if (typeof candidate !== 'string' || candidate.length === 0) return { refused: 'empty' };
  if (candidate.length > MAX_RETURN_URL_LENGTH) return { refused: `longer than ${MAX_RETURN_URL_LENGTH}` };
  if (FORBIDDEN_CHARACTERS.test(candidate)) return { refused: 'control character or backslash' };
  if (candidate.trim() !== candidate) return { refused: 'surrounding whitespace' };

  let origin: string | undefined;
  if (options.origin !== undefined) {
    try {
      origin = new URL(options.origin).origin;
    } catch {
      return { refused: 'the app origin is not a URL' };
    }
  }

  let parsed: URL;
  if (candidate.startsWith('/')) {
    if (candidate.startsWith('//')) return { refused: 'protocol-relative URL' };
    parsed = new URL(candidate, origin ?? 'https://return-url.invalid');
    if (origin === undefined && parsed.origin !== 'https://return-url.invalid')
      return { refused: 'other origin' };
  } else if (ABSOLUTE_HTTP_URL.test(candidate)) {
    if (origin === undefined) return { refused: 'absolute URL without a known origin' };
    try {
      parsed = new URL(candidate);
    } catch {
      return { refused: 'malformed URL' };
    }
    if (parsed.username !== '' || parsed.password !== '') return { refused: 'user-info in URL' };
  } else {
    return { refused: 'not a path or an http(s) URL' };
  }
  if (origin !== undefined && parsed.origin !== origin) return { refused: 'other origin' };

  // Encoded variants (`/%2F%2Fevil`, `/%5Cevil`, `/%09/evil`) are harmless to browsers but not to
  // every proxy or framework that decodes before redirecting: refuse what decodes to a hostile path.
  let decoded = parsed.pathname;
  for (let i = 0; i < 3; i += 1) {
    if (decoded.startsWith('//') || FORBIDDEN_CHARACTERS.test(decoded))
      return { refused: 'encoded hostile path' };
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return { refused: 'malformed percent-encoding' };
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded.startsWith('//') || FORBIDDEN_CHARACTERS.test(decoded))
    return { refused: 'encoded hostile path' };

  return { path: `${parsed.pathname}${parsed.search}${parsed.hash}` };
}

/**
 * `true` when `candidate` is a same-origin return URL the library may redirect to
 * (see {@link resolveReturnUrl} for the rules).
 *
 * @example
 * ```ts
 * isSafeReturnUrl('/emails?folder=inbox', { origin: 'https://app.example' }); // true
 * isSafeReturnUrl('//evil.example', { origin: 'https://app.example' });        // false
 * ```
 */
export function isSafeReturnUrl(candidate: unknown, options: ReturnUrlOptions = {}): boolean {
  return 'path' in check(candidate, options);
}

/**
 * Turns an untrusted return URL (a `returnUrl` query parameter, a Referer) into a same-origin
 * path to redirect to, or `fallback` (default `/`) when it is missing or refused.
 *
 * Accepted: a path beginning with one `/`, or an absolute `http(s)` URL with exactly the app's
 * origin and no user-info. The result is path + query + fragment (the fragment is kept: the user
 * asked for it). Refused: `//host`, `/\host`, backslashes, control characters anywhere (`/\t/evil`),
 * encodings of those (`/%2F%2Fevil`, `/%5Cevil`), other schemes (`javascript:`, `data:`), other
 * origins, user-info tricks (`https://app.example@evil`), and values over 2048 characters.
 *
 * @example
 * ```ts
 * const target = resolveReturnUrl(req.query.returnUrl, { origin: 'https://app.example' });
 * res.redirect(target); // '/emails?folder=inbox&top=5', or '/' for anything hostile
 * ```
 */
export function resolveReturnUrl(candidate: unknown, options: ReturnUrlOptions = {}): string {
  const result = check(candidate, options);
  return 'path' in result ? result.path : (options.fallback ?? '/');
}

/**
 * Like {@link resolveReturnUrl}, but throws an {@link InvalidReturnUrlError} (code
 * `invalid_return_url`) instead of falling back. The message gives the reason, not the value.
 *
 * @example
 * ```ts
 * try { res.redirect(assertSafeReturnUrl(req.query.returnUrl, { origin })); }
 * catch (err) { if (err instanceof InvalidReturnUrlError) res.status(400).end(); }
 * ```
 */
export function assertSafeReturnUrl(candidate: unknown, options: ReturnUrlOptions = {}): string {
  const result = check(candidate, options);
  if ('refused' in result) {
    throw new InvalidReturnUrlError(`Return URL refused: ${result.refused}.`);
  }
  return result.path;
}
