const SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'] as const;

type SerializedCache = Partial<Record<(typeof SECTIONS)[number], Record<string, unknown>>> &
  Record<string, unknown>;

/**
 * Merges a freshly serialized MSAL cache into a stored partition, entry by entry, the fresh
 * entries winning. Used when a user signs in again (incremental consent, step-up): the new
 * sign-in's tokens join the tokens already cached for other scopes instead of replacing them.
 *
 * @example
 * ```ts
 * await store.set(partition, mergePartitions(await store.get(partition), client.getTokenCache().serialize()));
 * ```
 */
export function mergePartitions(stored: string | undefined, fresh: string): string {
  if (!stored) return fresh;
  let base: SerializedCache;
  try {
    base = JSON.parse(stored) as SerializedCache;
  } catch {
    return fresh;
  }
  const incoming = JSON.parse(fresh) as SerializedCache;
  const merged: SerializedCache = { ...base };
  for (const section of SECTIONS) {
    merged[section] = { ...(base[section] ?? {}), ...(incoming[section] ?? {}) };
  }
  return JSON.stringify(merged);
}

/**
 * Drops the ID tokens from a serialized MSAL cache before it is stored. After sign-in the
 * session knows who the user is; refreshing tokens needs the account and the refresh token,
 * not the ID token, which would be the largest entry of every partition after the tokens.
 *
 * @example
 * ```ts
 * await store.set(partition, withoutIdTokens(client.getTokenCache().serialize()));
 * ```
 */
export function withoutIdTokens(json: string): string {
  if (!json.includes('"IdToken":{"')) return json;
  const cache = JSON.parse(json) as SerializedCache;
  cache.IdToken = {};
  return JSON.stringify(cache);
}
