/**
 * Seconds a `Retry-After` header asks to wait: delay-seconds, or an HTTP date (rounded up from
 * now; 0 once past). `undefined` when absent or unreadable.
 *
 * @example
 * ```ts
 * retryAfterSeconds(response.headers.get('retry-after')); // 30 for "30"
 * ```
 */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = /^[a-z]{3}, /i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
