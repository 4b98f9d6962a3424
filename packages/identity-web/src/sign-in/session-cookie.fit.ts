import { InvalidCallError } from '../errors';
import type { OpenedSessionCookie, SessionCookieSeal } from './session-cookie.seal';
import type { IdentityWebSessionState } from './sign-in-session';

/** Browsers keep a cookie whose name and value together fit in 4,096 bytes; this leaves room. */
export const MAX_SESSION_COOKIE_BYTES = 4_000;

/**
 * Drops what the session can spare until its cookie fits, oldest first: completed round trips
 * but the newest, kept form posts' bodies (the user is told to send them again), other tabs'
 * pending sign-ins, the newest completed round trip, then the last pending sign-in (an
 * oversized one, such as a planted return URL, never turns the user's callback into a 500).
 * Throws `InvalidCallError` when what is left still does not fit (the app's own values).
 *
 * @example
 * ```ts
 * fitSessionCookie(sealed, 'iw.sid', seal); // trims sealed.data in place, or throws
 * ```
 */
export function fitSessionCookie(
  session: OpenedSessionCookie,
  cookieName: string,
  seal: Pick<SessionCookieSeal, 'sealedLength'>,
): void {
  const fits = () => cookieName.length + 1 + seal.sealedLength(session) <= MAX_SESSION_COOKIE_BYTES;
  const state = session.data.identityWeb as IdentityWebSessionState | undefined;
  while (!fits() && state) {
    const post = state.formPosts?.find((p) => p.kind !== undefined && p.sentAt === undefined);
    const completed = state.completed?.length ?? 0;
    // The newest completed round trip stays longest: it is what stops a challenge looping.
    if (completed > 1) state.completed!.shift();
    else if (post) {
      delete post.kind;
      delete post.fields;
      delete post.json;
      post.notKept = 'too_large';
    } else if ((state.pending?.length ?? 0) > 1) state.pending!.shift();
    else if (completed === 1) state.completed!.shift();
    else if (state.pending?.length) state.pending.shift();
    else break;
  }
  if (!fits()) {
    throw new InvalidCallError(
      `The session is too large for its cookie (${seal.sealedLength(session)} bytes sealed, at most ` +
        `${MAX_SESSION_COOKIE_BYTES}): keep less in req.session (its keys: ${Object.keys(session.data).join(', ')}), ` +
        "or keep sessions in a store (IdentityWeb:Session:Mode 'store').",
    );
  }
}
