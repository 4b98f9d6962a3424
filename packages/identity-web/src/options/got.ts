/**
 * How a configuration value is echoed in a message: enough to recognise it, never a whole secret.
 */

/** How much of a value {@link got} may show. */
export interface GotOptions {
  /** The key holds a secret: only the value's length is shown. */
  secret?: boolean;
  /**
   * A key where a secret is often pasted by mistake (`ClientId`, `TenantId`): a string shows
   * only its first characters and its length.
   */
  prefixOnly?: boolean;
}

/** Keys whose values are secrets wherever they appear inside a value being shown. */
const SECRET_KEY = /secret|password|base64encodedvalue|assertion|connectionstring|key$/i;
const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX_LENGTH = 3;

/** Shannon entropy of `text`, in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * `true` for a string that looks like a generated secret (a client secret, a key, a token): long,
 * without spaces, with digits, and close to random. URLs, paths and GUIDs are not.
 */
export function looksLikeSecret(text: string): boolean {
  return (
    text.length >= 16 &&
    !/\s/.test(text) &&
    /\d/.test(text) &&
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) &&
    !/^\.{0,2}\//.test(text) &&
    !GUID_SHAPE.test(text) &&
    entropy(text) >= 3.9
  );
}

/** `"abc…" (40 characters)`: enough to recognise a value, not to use it. */
function prefixAndLength(text: string): string {
  return `"${text.slice(0, PREFIX_LENGTH)}…" (${text.length} characters)`;
}

/**
 * ` (got …)` for a message. Short, and never a whole secret: a key marked secret shows only the
 * length, a `prefixOnly` key (ClientId, TenantId) and any string that looks like a generated
 * secret show their first characters and length, and inside objects and arrays the values of
 * secret-named keys are `[redacted]`. Anything else is shown as JSON, cut at 60 characters.
 *
 * @example
 * ```ts
 * got('Magic');                                         // ' (got "Magic")'
 * got('Abc8Q~k3D2fGh_jKlMnOpQrStUvWxYz0123456789');   // ' (got "Abc…" (41 characters))'
 * got('my-app', { prefixOnly: true });                 // ' (got "my-…" (6 characters))'
 * ```
 */
export function got(value: unknown, options: GotOptions = {}): string {
  if (typeof value === 'string') {
    if (options.secret) return ` (got a value of ${value.length} characters)`;
    if (options.prefixOnly || looksLikeSecret(value)) return ` (got ${prefixAndLength(value)})`;
  } else if (options.secret) {
    return ` (got a ${Array.isArray(value) ? 'list' : typeof value})`;
  }
  let shown: string;
  try {
    shown =
      JSON.stringify(value, (key, item: unknown) => {
        if (key !== '' && SECRET_KEY.test(key)) return '[redacted]';
        return typeof item === 'string' && looksLikeSecret(item) ? prefixAndLength(item) : item;
      }) ?? String(value);
  } catch {
    shown = String(value);
  }
  return ` (got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
}
