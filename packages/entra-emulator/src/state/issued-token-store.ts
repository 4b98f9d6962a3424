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
  codeChallengeMethod?: 'plain' | 'S256';
  /** Epoch milliseconds. */
  expiresAt: number;
  redeemed: boolean;
}

/** An issued refresh token. */
export interface RefreshToken extends SignInFacts {
  clientId: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch milliseconds after which it has expired from inactivity. */
  expiresAt: number;
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

  /**
   * Makes the codes and refresh tokens issued so far (only the user's, when given) `seconds`
   * older, as if that time had passed without their use: how tests provoke expiry.
   */
  age(seconds: number, userOid?: string): void {
    for (const entry of [...this.codes.values(), ...this.refreshTokens.values()]) {
      if (userOid === undefined || entry.userOid === userOid) entry.expiresAt -= seconds * 1000;
    }
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
