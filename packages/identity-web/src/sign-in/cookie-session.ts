import { randomBytes } from 'node:crypto';
import type { IdentityWebSessionState } from './sign-in-session';

type Done = (err?: unknown) => void;

/** What the middleware does for a session object: seal it now (`save`). */
export interface CookieSessionOwner {
  save(session: CookieSession): Promise<void>;
}

/**
 * `req.session` when sessions live in the cookie (`IdentityWeb:Session:Mode: "cookie"`): the
 * session's values are this object's own properties, as with express-session, and its methods
 * (`regenerate`, `save`, `destroy`, `reload`, `touch`) work alike, except that nothing is kept on
 * the server: the values are sealed into the cookie when the response is sent.
 *
 * @example
 * ```ts
 * req.session.cart = ['sku-1']; // sealed into the cookie with the rest when the response is sent
 * ```
 */
export class CookieSession {
  [value: string]: unknown;
  declare identityWeb?: IdentityWebSessionState;
  #id: string;
  #destroyed = false;
  readonly #owner: CookieSessionOwner;
  readonly #cookie: { maxAge: number | null; originalMaxAge: number | null };
  readonly #defaultMaxAgeMs: number;

  constructor(owner: CookieSessionOwner, id: string | undefined, maxAgeMs: number, defaultMaxAgeMs: number) {
    this.#owner = owner;
    this.#id = id ?? newSessionId();
    this.#defaultMaxAgeMs = defaultMaxAgeMs;
    this.#cookie = { maxAge: maxAgeMs, originalMaxAge: maxAgeMs };
  }

  /** The session id (`req.sessionID`): random, new at each {@link regenerate}. */
  get id(): string {
    return this.#id;
  }

  /** The cookie's lifetime, as express-session's `req.session.cookie.maxAge` (settable). */
  get cookie(): { maxAge: number | null; originalMaxAge: number | null } {
    return this.#cookie;
  }

  /** `true` once {@link destroy} ran: the cookie is cleared. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Lifetime in milliseconds the cookie is sealed with. */
  get maxAgeMs(): number {
    return typeof this.#cookie.maxAge === 'number' && this.#cookie.maxAge > 0
      ? this.#cookie.maxAge
      : this.#defaultMaxAgeMs;
  }

  /** The session's values, without methods or the cookie. */
  values(): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    for (const key of Object.keys(this)) if (this[key] !== undefined) data[key] = this[key];
    return data;
  }

  /** A new, empty session with a new id (as after a sign-in, against session fixation). */
  regenerate(done?: Done): this {
    for (const key of Object.keys(this)) delete this[key];
    this.#id = newSessionId();
    this.#destroyed = false;
    this.#cookie.maxAge = this.#cookie.originalMaxAge = this.#defaultMaxAgeMs;
    done?.();
    return this;
  }

  /** Ends the session: its cookie is cleared with the response. */
  destroy(done?: Done): this {
    for (const key of Object.keys(this)) delete this[key];
    this.#destroyed = true;
    done?.();
    return this;
  }

  /** Seals the session into the response's cookie now (the response must not have started). */
  save(done?: Done): this {
    this.#owner.save(this).then(
      () => done?.(),
      (err: unknown) => (done ? done(err) : undefined),
    );
    return this;
  }

  /** The values as the request brought them: nothing to reload from, so a no-op. */
  reload(done?: Done): this {
    done?.();
    return this;
  }

  /** Sliding expiry is applied when the response is sent; a no-op here. */
  touch(): this {
    return this;
  }
}

function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}
