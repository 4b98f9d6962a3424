import { randomBytes } from 'node:crypto';

import type { AuthorizeRequest } from './authorize-request';

/** An authorization request in progress through the sign-in, MFA and consent pages. */
export interface SignInTransaction {
  id: string;
  request: AuthorizeRequest;
  userOid?: string;
  amr: string[];
  authTime?: number;
  sessionId?: string;
  /** `Set-Cookie` to send with the next response (a new SSO session). */
  pendingCookie?: string;
  consentShown: boolean;
  expiresAt: number;
}

const LIFETIME_MS = 15 * 60 * 1000;

/**
 * Sign-in transactions by id (the hidden `tx` field of the emulator's forms). Each expires after 15 minutes.
 *
 * @example
 * ```ts
 * const tx = transactions.start(request);
 * ```
 */
export class SignInTransactions {
  private readonly transactions = new Map<string, SignInTransaction>();

  start(request: AuthorizeRequest): SignInTransaction {
    const now = Date.now();
    for (const [id, tx] of this.transactions) if (tx.expiresAt < now) this.transactions.delete(id);
    const tx: SignInTransaction = {
      id: randomBytes(24).toString('base64url'),
      request,
      amr: [],
      consentShown: false,
      expiresAt: now + LIFETIME_MS,
    };
    this.transactions.set(tx.id, tx);
    return tx;
  }

  find(id: string | null): SignInTransaction | undefined {
    const tx = id ? this.transactions.get(id) : undefined;
    return tx && tx.expiresAt >= Date.now() ? tx : undefined;
  }

  finish(tx: SignInTransaction): void {
    this.transactions.delete(tx.id);
  }

  clear(): void {
    this.transactions.clear();
  }
}
