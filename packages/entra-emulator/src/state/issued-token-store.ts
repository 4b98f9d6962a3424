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
 * Authorization codes and refresh tokens the emulator issued (in memory), by their opaque handle.
 *
 * @example
 * ```ts
 * const code = issuedTokens.issueCode({ ...facts, clientId, redirectUri, scope, expiresAt, redeemed: false });
 * ```
 */
export class IssuedTokenStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  issueCode(code: AuthorizationCode): string {
    return issue(this.codes, code, 48);
  }

  code(id: string): AuthorizationCode | undefined {
    return this.codes.get(id);
  }

  issueRefreshToken(token: RefreshToken): string {
    return issue(this.refreshTokens, token, 64);
  }

  refreshToken(id: string): RefreshToken | undefined {
    return this.refreshTokens.get(id);
  }

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
  }
}

/** Stores an entry under a new opaque handle (`1.` and `bytes` random bytes, base64url) and returns it. */
function issue<T>(store: Map<string, T>, entry: T, bytes: number): string {
  const id = `1.${randomBytes(bytes).toString('base64url')}`;
  store.set(id, entry);
  return id;
}
