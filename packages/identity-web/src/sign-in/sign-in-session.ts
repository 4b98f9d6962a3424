import type { SignedInUser } from '../token-acquisition/signed-in-user';

/** One sign-in started by this browser and not yet completed; kept server-side in the session. */
export interface PendingSignIn {
  /** The `state` sent to the identity provider; the key of this entry. */
  state: string;
  /** The `nonce` the ID token must carry. */
  nonce: string;
  /** PKCE code verifier (S256). */
  codeVerifier: string;
  /** Same-origin path (with query) to land on afterwards; checked again before use. */
  returnUrl: string;
  /** The `redirect_uri` sent; the code must be redeemed with the same one. */
  redirectUri: string;
  /** Scopes asked for, so the code is redeemed for them. */
  scopes: string[];
  /** B2C / External ID user flow of the request. */
  userFlow?: string;
  /** Epoch milliseconds when the sign-in started. */
  createdAt: number;
}

/** What the library keeps in the session: who the user is and pending sign-ins. Never tokens. */
export interface IdentityWebSessionState {
  user?: SignedInUser;
  pending?: PendingSignIn[];
  /**
   * Token cache partitions (home account ids) this session's sign-ins wrote: the user's own and,
   * for B2C / External ID, those of edit-profile and reset-password runs. Sign-out removes them all.
   */
  partitions?: string[];
}

/** The slice of an express-session `req.session` the library uses. */
export interface SessionCarrier {
  session?: { identityWeb?: IdentityWebSessionState } & Record<string, unknown>;
}

/**
 * The library's state in the request's session, created on first write.
 *
 * @example
 * ```ts
 * sessionState(req, true)!.pending = [];
 * ```
 */
export function sessionState(req: unknown, create = false): IdentityWebSessionState | undefined {
  const session = (req as SessionCarrier).session;
  if (!session) return undefined;
  if (!session.identityWeb && create) session.identityWeb = {};
  return session.identityWeb;
}

/**
 * The signed-in user kept in the request's session, if any.
 *
 * @example
 * ```ts
 * const user = sessionUser(req); // undefined when anonymous
 * ```
 */
export function sessionUser(req: unknown): SignedInUser | undefined {
  return sessionState(req)?.user;
}

/**
 * Runs one of express-session's callback-style calls (`regenerate`, `save`, `destroy`) as a promise.
 *
 * @example
 * ```ts
 * await runSessionCall((done) => req.session.regenerate(done));
 * ```
 */
export function runSessionCall(run: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
}
