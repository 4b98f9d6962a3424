/** Headers the library sets itself or that would let a caller impersonate the app's traffic. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'forwarded',
]);

/**
 * `true` for headers that cannot come from downstream API options: the library sets them
 * (Authorization, Host, Content-Length...) or they would let a caller impersonate the app's
 * traffic (Cookie, X-Forwarded-*, Forwarded).
 */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith('x-forwarded-');
}
