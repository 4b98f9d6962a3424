import { randomBytes } from 'node:crypto';

/** What a sign-in established: who, when, how. */
export interface SignInFacts {
  userOid: string;
  /** Tenant the tokens are issued in. */
  tenantId: string;
  /** Authentication methods: `pwd`, plus `mfa` after the MFA step. */
  amr: string[];
  /** Epoch seconds of the interactive sign-in. */
  authTime: number;
  sessionId: string;
  /** B2C-style user flow, when the sign-in ran one. */
  flow?: string;
}

/** An issued authorization code. */
export interface AuthorizationCode extends SignInFacts {
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  expiresAt: number;
  redeemed: boolean;
}

/** An issued refresh token. */
export interface RefreshToken extends SignInFacts {
  clientId: string;
  /** Epoch seconds. */
  issuedAt: number;
}

/**
 * Authorization codes and refresh tokens the emulator issued (in memory).
 *
 * @example
 * ```ts
 * const code = grants.issueCode({ ...facts, clientId, redirectUri, scope, expiresAt, redeemed: false });
 * ```
 */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  issueCode(code: AuthorizationCode): string {
    const id = `1.${randomBytes(48).toString('base64url')}`;
    this.codes.set(id, code);
    return id;
  }

  code(id: string): AuthorizationCode | undefined {
    return this.codes.get(id);
  }

  issueRefreshToken(token: RefreshToken): string {
    const id = `1.${randomBytes(64).toString('base64url')}`;
    this.refreshTokens.set(id, token);
    return id;
  }

  refreshToken(id: string): RefreshToken | undefined {
    return this.refreshTokens.get(id);
  }

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
  }
}
