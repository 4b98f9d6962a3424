/**
 * An access token and what a caller needs to use it. Never log `accessToken`.
 *
 * @example
 * ```ts
 * const token: AccessToken = await tokens.getAccessTokenForUser(['user.read']);
 * headers.authorization = `${token.tokenType} ${token.accessToken}`;
 * ```
 */
export interface AccessToken {
  /** The bearer token itself (a secret). */
  accessToken: string;
  /** When the identity provider says it expires. */
  expiresOn: Date;
  /** Scopes the token was granted for. */
  scopes: string[];
  /** `Bearer` in practice. */
  tokenType: 'Bearer' | string;
  /** Tenant that issued the token. */
  tenantId?: string;
}
