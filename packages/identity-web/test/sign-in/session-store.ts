import type { MemoryStore, SessionData } from 'express-session';
import type { IdentityWebSessionState } from '../../src/sign-in/sign-in-session';

/** A stored session as the library leaves it. */
export type StoredSession = SessionData & { identityWeb?: IdentityWebSessionState };

/** Every session in an express-session MemoryStore, by id. */
export function storedSessions(store: MemoryStore): Promise<Record<string, StoredSession>> {
  return new Promise((resolve, reject) =>
    store.all((err, sessions) =>
      err ? reject(err) : resolve((sessions ?? {}) as Record<string, StoredSession>),
    ),
  );
}

/** Replaces one stored session. */
export function writeSession(store: MemoryStore, sid: string, session: StoredSession): Promise<void> {
  return new Promise((resolve, reject) => store.set(sid, session, (err) => (err ? reject(err) : resolve())));
}

/** The sessions that hold a signed-in user. */
export async function signedInSessions(store: MemoryStore): Promise<StoredSession[]> {
  return Object.values(await storedSessions(store)).filter((s) => s.identityWeb?.user !== undefined);
}
