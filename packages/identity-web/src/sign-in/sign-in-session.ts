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
  /** What the challenge that started it asked for; see {@link CompletedSignIn.challenge}. */
  challenge?: string;
  /** The same-origin page the user was on when it started, for a "go back" link if they cancel. */
  cameFrom?: string;
}

/**
 * A form post that needed consent, kept during the round trip to be sent again once after it
 * (`resubmit`); or, when it could not be kept (`notKept`), why, to tell the user.
 */
export interface PendingFormPost {
  /** Random one-time id, in the resubmit page's URL. */
  id: string;
  /** The home account id of the user who posted it: never sent again for anyone else. */
  user: string;
  /** Same-origin path (with query) it was posted to. */
  action: string;
  /** The page that posted it, where the user goes afterwards. */
  returnUrl: string;
  /** `form`: url-encoded fields; `json`: a JSON body. */
  kind?: 'form' | 'json';
  /** The url-encoded fields, in order (`kind: 'form'`). */
  fields?: Array<[string, string]>;
  /** The JSON body as text (`kind: 'json'`). */
  json?: string;
  /** Why it was not kept: too large, a file upload, or another method or content type. */
  notKept?: 'too_large' | 'multipart' | 'unsupported';
  /** Epoch milliseconds when it was kept. */
  createdAt: number;
  /** Epoch milliseconds when it was sent again: from then on it is only remembered as sent. */
  sentAt?: number;
}

/** A sign-in or consent round trip this session completed, for the Back button and loops. */
export interface CompletedSignIn {
  /** SHA-256 (base64url) of its spent `state`. */
  stateHash: string;
  /** Where it landed. */
  returnUrl: string;
  /** What the challenge that started it asked for (scopes, claims, flow, reason); empty for a plain sign-in. */
  challenge: string;
  /** Epoch milliseconds when it completed. */
  completedAt: number;
}

/** What the library keeps in the session: who the user is and pending sign-ins. Never tokens. */
export interface IdentityWebSessionState {
  user?: SignedInUser;
  pending?: PendingSignIn[];
  /** Form posts waiting for a consent round trip to complete (a few, for a short while). */
  formPosts?: PendingFormPost[];
  /** The last round trips this session completed (a few). */
  completed?: CompletedSignIn[];
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
