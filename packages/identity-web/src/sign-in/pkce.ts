import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair: the verifier kept server-side and its S256 challenge sent to the identity provider. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/**
 * A random URL-safe value with 256 bits of entropy, for `state` and `nonce`.
 *
 * @example
 * ```ts
 * const state = randomUrlSafe();
 * ```
 */
export function randomUrlSafe(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A new PKCE verifier (43 characters) and its S256 challenge (RFC 7636).
 *
 * @example
 * ```ts
 * const { verifier, challenge } = createPkcePair();
 * ```
 */
export function createPkcePair(): PkcePair {
  const verifier = randomUrlSafe(32);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}
