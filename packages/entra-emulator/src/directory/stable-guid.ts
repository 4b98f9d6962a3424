import { createHash } from 'node:crypto';

/**
 * A stable GUID derived from a text (for generated object ids).
 *
 * @example
 * ```ts
 * guidFrom('user:dave@contoso.onmicrosoft.com'); // always the same GUID
 * ```
 */
export function guidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
