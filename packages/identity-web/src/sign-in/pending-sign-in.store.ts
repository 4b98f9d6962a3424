import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidConfigurationError, SignInRefusedError } from '../errors';
import { sessionState, type CompletedSignIn, type PendingSignIn } from './sign-in-session';

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
  /** Completed round trips remembered per session, for the Back button and loop detection. */
  protected readonly maxCompleted: number = 5;

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

  /**
   * Remembers that the sign-in of `entry` completed in the (new) session of `req`: Back to its
   * spent callback URL then lands on its return URL ({@link completedReturnUrl}).
   */
  complete(req: unknown, entry: Pick<PendingSignIn, 'state' | 'returnUrl' | 'challenge'>): void {
    const session = sessionState(req, true);
    if (!session) return;
    const done: CompletedSignIn = {
      stateHash: hashOf(entry.state),
      returnUrl: entry.returnUrl,
      challenge: entry.challenge ?? '',
      completedAt: this.now(),
    };
    session.completed = [...(session.completed ?? []), done].slice(-this.maxCompleted);
  }

  /**
   * The return URL of the sign-in whose spent `state` this session completed (the browser's Back
   * button brought it to the callback again), or `undefined` for any other state.
   */
  completedReturnUrl(req: unknown, state: unknown): string | undefined {
    if (typeof state !== 'string' || state.length === 0) return undefined;
    const hash = hashOf(state);
    return sessionState(req)?.completed?.find((c) => sameText(c.stateHash, hash))?.returnUrl;
  }

  /** The latest round trip this session completed for `challenge` less than `withinMs` ago. */
  recentlyCompleted(req: unknown, challenge: string, withinMs: number): CompletedSignIn | undefined {
    return sessionState(req)
      ?.completed?.filter((c) => c.challenge === challenge && this.now() - c.completedAt < withinMs)
      .at(-1);
  }

  /** The clock; tests and subclasses may replace it. */
  protected now(): number {
    return Date.now();
  }

  protected isExpired(entry: PendingSignIn): boolean {
    return this.now() - entry.createdAt > this.lifetimeMs;
  }
}

function hashOf(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
