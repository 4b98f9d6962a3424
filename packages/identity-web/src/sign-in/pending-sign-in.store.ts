import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { InvalidConfigurationError, SignInRefusedError } from '../errors';
import { sessionState, type PendingSignIn } from './sign-in-session';

/**
 * Keeps the sign-ins a browser has started (state, nonce, PKCE verifier, return URL) in its
 * session until the identity provider answers. Entries are single use, expire after
 * `lifetimeMs`, and at most `maxPending` are kept per session (the oldest is dropped), so a
 * page that starts sign-ins in a loop cannot grow the session. A session that holds only pending
 * sign-ins (nobody signed in yet) lives `lifetimeMs` too, instead of the full session lifetime, so
 * anonymous visits to the sign-in route do not fill the session store; the sign-in callback starts
 * a new session with the full lifetime.
 *
 * @example
 * ```ts
 * store.add(req, { state, nonce, codeVerifier, returnUrl: '/', redirectUri, scopes, createdAt: Date.now() });
 * const pending = store.take(req, req.query.state); // throws IdentityWebError('sign_in_refused') when unknown
 * ```
 */
@Injectable()
export class PendingSignInStore {
  /** How long the user may take to sign in, in milliseconds. */
  protected readonly lifetimeMs: number = 10 * 60 * 1000;
  /** Sign-ins kept per session (several tabs may sign in at once). */
  protected readonly maxPending: number = 5;

  /** Remembers a started sign-in in the request's session. */
  add(req: unknown, entry: PendingSignIn): void {
    const state = sessionState(req, true);
    if (!state) {
      throw new InvalidConfigurationError(
        'IdentityWeb:Session',
        'is missing from the request: did the session middleware run (is express-session installed)?',
      );
    }
    const live = (state.pending ?? []).filter((p) => !this.isExpired(p));
    live.push(entry);
    state.pending = live.slice(-this.maxPending);
    if (!state.user) this.shortenAnonymousSession(req);
  }

  /** Gives a session without a user the lifetime of a pending sign-in (express-session's cookie `maxAge`). */
  protected shortenAnonymousSession(req: unknown): void {
    const cookie = (req as { session?: { cookie?: { maxAge?: number | null } } }).session?.cookie;
    if (cookie && (typeof cookie.maxAge !== 'number' || cookie.maxAge > this.lifetimeMs)) {
      cookie.maxAge = this.lifetimeMs;
    }
  }

  /**
   * Removes and returns the pending sign-in for `state`. Unknown, expired or already used
   * states are refused with `sign_in_refused`.
   */
  take(req: unknown, state: unknown): PendingSignIn {
    const session = sessionState(req);
    const pending = session?.pending ?? [];
    const index =
      typeof state === 'string' && state.length > 0 ? pending.findIndex((p) => sameText(p.state, state)) : -1;
    if (index < 0) {
      throw new SignInRefusedError('Sign-in refused: unknown or already used state.');
    }
    const [entry] = pending.splice(index, 1);
    if (session) session.pending = pending.filter((p) => !this.isExpired(p));
    if (this.isExpired(entry)) {
      throw new SignInRefusedError('Sign-in refused: the sign-in took too long; please try again.');
    }
    return entry;
  }

  /** The clock; tests and subclasses may replace it. */
  protected now(): number {
    return Date.now();
  }

  protected isExpired(entry: PendingSignIn): boolean {
    return this.now() - entry.createdAt > this.lifetimeMs;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
