import { randomBytes } from 'node:crypto';

import type { Directory } from '../directory/directory';

/** An SSO session (what the emulator's cookie points at). */
export interface SsoSession {
  id: string;
  userOid: string;
  amr: string[];
  /** Epoch seconds of the interactive sign-in. */
  authTime: number;
}

/** The name of the SSO cookie (Secure, HttpOnly, SameSite=None). */
export const SSO_COOKIE = 'entra_emulator_sso';

/**
 * SSO sessions by id.
 *
 * @example
 * ```ts
 * const session = sessions.create(user.oid, ['pwd']);
 * ctx.send(302, '', { 'set-cookie': sessions.cookie(session) });
 * ```
 */
export class SessionStore {
  private readonly sessions = new Map<string, SsoSession>();

  create(userOid: string, amr: string[]): SsoSession {
    const session = {
      id: randomBytes(24).toString('base64url'),
      userOid,
      amr,
      authTime: Math.floor(Date.now() / 1000),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of a cookie value: its user exists and was not revoked since. */
  find(id: string | undefined, directory: Directory): SsoSession | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    const user = session ? directory.findUser(session.userOid) : undefined;
    if (!session || !user || session.authTime < user.tokensValidAfter) return undefined;
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }

  /** The `Set-Cookie` value for a session. */
  cookie(session: SsoSession): string {
    return `${SSO_COOKIE}=${session.id}; Path=/; Secure; HttpOnly; SameSite=None`;
  }

  /** The `Set-Cookie` value that deletes the SSO cookie. */
  clearingCookie(): string {
    return `${SSO_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0`;
  }
}
