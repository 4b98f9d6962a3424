import session from 'express-session';
import type { TokenCacheCodec } from '../token-cache/token-cache.codec';

type Callback<T = unknown> = (err?: unknown, value?: T) => void;

/** Sessions read and not yet touched, remembered at most (requests in flight, not users). */
const READ_KEPT = 10_000;

/** What the inner store keeps: the cookie (expiry, which stores read for their TTL) and the sealed rest. */
interface SealedSession {
  cookie: session.Cookie;
  iw: string;
}

/**
 * An express-session store that keeps the session's values (who the user is, pending sign-ins)
 * encrypted in another store, with the token cache's key ring (AES-256-GCM, the session id as
 * associated data): a Redis or PostgreSQL scan shows the cookie's expiry and ciphertext, never a
 * name, e-mail or state. A value that does not decrypt (tampered, moved to another id, its key
 * removed from the ring) reads as no session.
 *
 * @example
 * ```ts
 * const store = new EncryptedSessionStore(new RedisStore({ client }), new TokenCacheCodec(keys));
 * ```
 */
export class EncryptedSessionStore extends session.Store {
  /**
   * What `get` read, by session id, until the same request's `touch` (express-session touches
   * every unmodified session): the sealed value is passed on as it was, not sealed again.
   */
  private readonly lastRead = new Map<string, { json: string; iw: string }>();

  constructor(
    readonly inner: session.Store,
    private readonly codec: TokenCacheCodec,
  ) {
    super();
    inner.on('connect', () => this.emit('connect'));
    inner.on('disconnect', () => this.emit('disconnect'));
  }

  private seal(sid: string, data: session.SessionData): SealedSession {
    const { cookie, ...values } = data;
    const json = JSON.stringify(values);
    return { cookie, iw: this.codec.encode(`session:${sid}`, json, Math.floor(Date.now() / 1000)) };
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.inner.get(sid, (err, stored) => {
      if (err) return callback(err);
      const sealed = stored as unknown as Partial<SealedSession> | null | undefined;
      if (!sealed || typeof sealed.iw !== 'string') return callback(null, null);
      const opened = this.codec.decode(`session:${sid}`, sealed.iw);
      if (!opened) return callback(null, null);
      if (this.lastRead.size >= READ_KEPT) this.lastRead.delete(this.lastRead.keys().next().value!);
      this.lastRead.set(sid, { json: opened.json, iw: sealed.iw });
      callback(null, {
        ...(JSON.parse(opened.json) as object),
        cookie: sealed.cookie,
      } as session.SessionData);
    });
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.lastRead.delete(sid);
    this.inner.set(sid, this.seal(sid, data) as unknown as session.SessionData, callback);
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    const read = this.lastRead.get(sid);
    this.lastRead.delete(sid);
    if (!this.inner.touch) return callback?.();
    const { cookie, ...values } = data;
    // Unchanged since it was read (as express-session only touches an unmodified session): the
    // stored ciphertext is still right; most stores only read the cookie's expiry here anyway.
    // Sealed under an older key of the ring: sealed again, so rotation moves it to the new key.
    const reuse = read && this.codec.sealedWithCurrentKey(read.iw) && JSON.stringify(values) === read.json;
    const sealed = reuse ? { cookie, iw: read.iw } : this.seal(sid, data);
    this.inner.touch(sid, sealed as unknown as session.SessionData, callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.lastRead.delete(sid);
    this.inner.destroy(sid, callback);
  }
}
