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
 * Applies what one operation changed in a partition onto the partition as stored now, which
 * another operation may have written meanwhile (a three-way merge): entries that `mine` added or
 * changed relative to `base` (what the operation loaded) are written over `current`; entries it
 * removed are removed unless someone else changed them since; every other entry of `current`
 * stays as it is. So a refresh for one scope cannot put back the stale copy it loaded of a token
 * that a concurrent refresh for another scope just renewed.
 *
 * @example
 * ```ts
 * const toWrite = mergeChanges(await store.get(partition), loaded, client.getTokenCache().serialize());
 * ```
 */
export function mergeChanges(current: string | undefined, base: string | undefined, mine: string): string {
  if (!current || current === base) return mine;
  const versions = parseVersions(current, base, mine);
  if (!versions) return mine;
  const { now, before, ours } = versions;
  const merged: SerializedCache = { ...now };
  for (const section of SECTIONS) {
    const result: Record<string, unknown> = { ...(now[section] ?? {}) };
    const was = before[section] ?? {};
    const is = ours[section] ?? {};
    for (const [key, entry] of Object.entries(is)) {
      if (!sameEntry(was[key], entry)) result[key] = entry;
    }
    for (const key of Object.keys(was)) {
      if (!(key in is) && sameEntry(result[key], was[key])) delete result[key];
    }
    merged[section] = result;
  }
  return JSON.stringify(merged);
}

/** The three versions a three-way merge compares; `undefined` when the stored one does not parse. */
function parseVersions(
  current: string,
  base: string | undefined,
  mine: string,
): { now: SerializedCache; before: SerializedCache; ours: SerializedCache } | undefined {
  let now: SerializedCache;
  try {
    now = JSON.parse(current) as SerializedCache;
  } catch {
    return undefined;
  }
  const before = base ? (JSON.parse(base) as SerializedCache) : {};
  return { now, before, ours: JSON.parse(mine) as SerializedCache };
}

function sameEntry(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
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

/**
 * `true` when `current` (the partition as stored now) lacks a change `mine` made relative to
 * `base`: an entry added or changed by `mine` is missing from `current`, or back to its `base`
 * version. That is what a concurrent writer on another instance, writing over ours, leaves. An
 * entry someone changed to a third version is theirs, newer: not a loss.
 *
 * @example
 * ```ts
 * if (lostChanges(await store.get(partition), loaded, mine)) await store.set(partition, mergeChanges(...));
 * ```
 */
export function lostChanges(current: string | undefined, base: string | undefined, mine: string): boolean {
  if (current === undefined) return true;
  const versions = parseVersions(current, base, mine);
  if (!versions) return true;
  const { now, before, ours } = versions;
  for (const section of SECTIONS) {
    const was = before[section] ?? {};
    const is = now[section] ?? {};
    for (const [key, entry] of Object.entries(ours[section] ?? {})) {
      if (sameEntry(was[key], entry)) continue;
      if (!(key in is) || (was[key] !== undefined && sameEntry(is[key], was[key]))) return true;
    }
  }
  return false;
}
