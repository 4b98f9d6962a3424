/**
 * Scopes every sign-in and every consent round trip asks for besides the APIs'.
 *
 * @example
 * ```ts
 * OIDC_SCOPES; // ['openid', 'profile', 'offline_access']
 * ```
 */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'offline_access'];

/**
 * The scopes of several lists, in order, trimmed, without empties or case-insensitive repeats
 * (the first spelling is kept).
 *
 * @example
 * ```ts
 * unionScopes(['User.Read'], ['user.read', 'Mail.Read'], OIDC_SCOPES); // ['User.Read', 'Mail.Read', 'openid', ...]
 * ```
 */
export function unionScopes(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Map<string, string>();
  for (const scope of lists.flat()) {
    const trimmed = scope.trim();
    if (trimmed && !seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
  }
  return [...seen.values()];
}
