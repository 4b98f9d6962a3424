import { createHash } from 'node:crypto';

/**
 * The signed-in user's id as sessions hold it: MSAL's home account id, lower-cased (MSAL's own
 * cache keys are lower-case; a mixed-case id would never match them).
 *
 * @example
 * ```ts
 * userPartitionKey('00000000-0000-0000-0000-0000000000A1.9188040d-6c67-4c5b-b112-36a304b66dad');
 * // '00000000-0000-0000-0000-0000000000a1.9188040d-6c67-4c5b-b112-36a304b66dad'
 * ```
 */
export function userPartitionKey(homeAccountId: string): string {
  return homeAccountId.toLowerCase();
}

/**
 * Cache key of a signed-in user's partition: `user:` and {@link userPartitionKey}. The kind prefix
 * keeps a user id from ever naming an app or on-behalf-of partition (a `sub` may start with `app:`).
 *
 * @example
 * ```ts
 * userCacheKey('00000000-0000-0000-0000-0000000000A1.9188040d-6c67-4c5b-b112-36a304b66dad');
 * // 'user:00000000-0000-0000-0000-0000000000a1.9188040d-6c67-4c5b-b112-36a304b66dad'
 * ```
 */
export function userCacheKey(homeAccountId: string): string {
  return `user:${homeAccountId.toLowerCase()}`;
}

/**
 * Partition key of the app's own tokens (client credentials) in one tenant.
 *
 * @example
 * ```ts
 * appPartitionKey('11111111-1111-1111-1111-111111111111', 'contoso.onmicrosoft.com');
 * // 'app:11111111-1111-1111-1111-111111111111:contoso.onmicrosoft.com'
 * ```
 */
export function appPartitionKey(clientId: string, tenant: string): string {
  return `app:${clientId.toLowerCase()}:${tenant.toLowerCase()}`;
}

/**
 * Partition key of tokens obtained on behalf of an incoming caller: the SHA-256 of the caller's
 * token, so two callers never share (or overwrite) each other's tokens and the token itself is
 * never a key.
 *
 * @example
 * ```ts
 * oboPartitionKey(incomingBearerToken); // 'obo:q0m2…' (base64url SHA-256)
 * ```
 */
export function oboPartitionKey(userAssertion: string): string {
  return `obo:${createHash('sha256').update(userAssertion).digest('base64url')}`;
}

/**
 * How long to keep an on-behalf-of partition: until the caller's token expires (its `exp`, read,
 * not verified) plus five minutes, at least a minute; an hour for an opaque token.
 *
 * @example
 * ```ts
 * await store.set(oboPartitionKey(assertion), json, oboPartitionLifetimeSeconds(assertion, Date.now()));
 * ```
 */
export function oboPartitionLifetimeSeconds(assertion: string, nowMs: number): number {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number') return Math.max(60, Math.ceil(payload.exp - nowMs / 1000) + 300);
  } catch {
    // An opaque assertion: fall through.
  }
  return 3600;
}
