import { createHash } from 'node:crypto';

import type { User } from '../directory/directory.types';

/**
 * Entra's `sub`: pairwise, stable per user and application, different across applications. The ID
 * token and the userinfo endpoint give a client the same value.
 *
 * @example
 * ```ts
 * pairwiseSubject(alice, webAppClientId) === idTokenClaims.sub; // true
 * ```
 */
export function pairwiseSubject(user: User, appId: string): string {
  return createHash('sha256').update(`${user.oid}|${appId.toLowerCase()}`).digest('base64url').slice(0, 43);
}
