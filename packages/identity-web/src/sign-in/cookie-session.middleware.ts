import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { ResolvedSessionOptions } from '../options/session.section';
import { CookieSession, type CookieSessionOwner } from './cookie-session';
import { clearing, cookieValue, restore, snapshot, withoutCookie } from './response-cookies';
import { fitSessionCookie } from './session-cookie.fit';
import { SessionCookieSeal, type OpenedSessionCookie } from './session-cookie.seal';

/** Opened cookies remembered per process, so a browser's repeated requests are not decrypted again. */
const OPENED_KEPT = 1_000;

/** Per request: the session as it arrived, to tell whether it changed. */
interface Arrived {
  /** The cookie's value, when the request had one. */
  value?: string;
  opened?: OpenedSessionCookie;
  json?: string;
}

/** An opened cookie remembered by its value: the values as JSON (each request parses its own copy). */
interface Remembered extends Omit<OpenedSessionCookie, 'data'> {
  json: string;
  expiresAt: number;
}

/**
 * Sessions kept in the cookie itself (`IdentityWeb:Session:Mode: "cookie"`), so instances share
 * them with no session store: who the user is and the pending sign-ins, sealed by
 * {@link SessionCookieSeal} (encrypted and integrity-protected), never tokens. The cookie is
 * written only when the session changed, so it expires its lifetime after its last change. A session too large for a cookie first drops what it can spare (see {@link fitSessionCookie}); if it is
 * still too large the response is a 500 naming the cause, never a cookie the browser drops.
 *
 * @example
 * ```ts
 * const sessions = new CookieSessions(options.session, (req) => req.secure);
 * app.use((req, res, next) => sessions.handle(req, res, next));
 * ```
 */
export class CookieSessions implements CookieSessionOwner {
  private readonly seal: SessionCookieSeal;
  private readonly remembered = new Map<string, Remembered>();
  private readonly logger = new Logger('IdentityWeb:Session');
  private readonly arrived = new WeakMap<CookieSession, Arrived>();
  private readonly responses = new WeakMap<CookieSession, { req: Request; res: Response }>();
  private readonly saving = new WeakMap<CookieSession, Promise<void>>();
  private lateChangeLogged = false;

  constructor(private readonly settings: ResolvedSessionOptions) {
    this.seal = new SessionCookieSeal(settings.secret, settings.cookieName);
  }

  handle(req: Request, res: Response, next: NextFunction): void {
    this.open(cookieValue(req, this.settings.cookieName)).then(
      (arrived) => {
        const session = new CookieSession(
          this,
          arrived.opened?.sid,
          arrived.opened?.maxAgeMs ?? this.settings.maxAgeMs,
          this.settings.maxAgeMs,
        );
        if (arrived.opened) Object.assign(session, arrived.opened.data);
        this.arrived.set(session, arrived);
        this.responses.set(session, { req, res });
        Object.defineProperty(req, 'session', {
          value: session,
          configurable: true,
          writable: true,
          enumerable: true,
        });
        Object.defineProperty(req, 'sessionID', {
          get: () => session.id,
          configurable: true,
          enumerable: true,
        });
        this.commitAtEnd(session, res);
        next();
      },
      (err: unknown) => next(err),
    );
  }

  /**
   * Seals `session` into the response's cookie now, unless it is unchanged; one save at a time
   * per session (a `save()` not awaited and the response's end would otherwise both write it).
   */
  save(session: CookieSession): Promise<void> {
    const next = (this.saving.get(session) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.saveNow(session));
    this.saving.set(session, next);
    return next;
  }

  private async saveNow(session: CookieSession): Promise<void> {
    const bound = this.responses.get(session);
    const arrived = this.arrived.get(session);
    if (!bound || !arrived) return;
    const { req, res } = bound;
    const cookie = this.settings.cookieName;
    // Destroyed, emptied, or `req.session` replaced (`req.session = null`): no session any more.
    const gone =
      session.destroyed || (req as { session?: unknown }).session !== session || isEmpty(session.values());
    if (gone) {
      if (arrived.value === undefined) return;
      if (res.headersSent) return this.logLateChange();
      if (!clearing(res, cookie)) {
        withoutCookie(res, cookie); // a value an earlier save of this response wrote
        res.clearCookie(cookie, { path: '/' });
      }
      this.arrived.set(session, {});
      return;
    }
    const data = session.values();
    const json = JSON.stringify(data);
    const now = Math.floor(Date.now() / 1000);
    const opened = arrived.opened;
    // Unchanged: not written again, so the cookie expires its lifetime after its last change,
    // as a store's session cookie does (a copy cannot be kept alive by using it).
    const unchanged =
      opened !== undefined &&
      json === arrived.json &&
      opened.sid === session.id &&
      opened.maxAgeMs === session.maxAgeMs;
    if (unchanged) return;
    if (res.headersSent) return this.logLateChange();
    const sealed: OpenedSessionCookie = { sid: session.id, data, maxAgeMs: session.maxAgeMs, issuedAt: now };
    fitSessionCookie(sealed, this.settings.cookieName, this.seal);
    const value = await this.seal.seal(sealed);
    if (res.headersSent) return this.logLateChange();
    withoutCookie(res, cookie); // an earlier save of this response wrote an older value
    res.cookie(cookie, value, {
      httpOnly: true,
      secure: this.settings.secure === 'auto' ? req.secure : this.settings.secure,
      sameSite: this.settings.sameSite,
      path: '/',
      maxAge: sealed.maxAgeMs,
    });
    this.arrived.set(session, { value, opened: sealed, json: JSON.stringify(sealed.data) });
  }

  /** Opens the request's cookie, from memory when this process opened the same value lately. */
  private async open(value: string | undefined): Promise<Arrived> {
    if (value === undefined) return {};
    const now = Date.now();
    const known = this.remembered.get(value);
    if (known && known.expiresAt > now) {
      return {
        value,
        opened: { ...known, data: JSON.parse(known.json) as Record<string, unknown> },
        json: known.json,
      };
    }
    const opened = await this.seal.open(value);
    if (!opened) return { value };
    const json = JSON.stringify(opened.data);
    if (this.remembered.size >= OPENED_KEPT) this.remembered.delete(this.remembered.keys().next().value!);
    const { sid, maxAgeMs, issuedAt } = opened;
    this.remembered.set(value, { sid, maxAgeMs, issuedAt, json, expiresAt: issuedAt * 1000 + maxAgeMs });
    return { value, opened, json };
  }

  /**
   * Holds the response's end until the session is sealed into its cookie. The first `end` is the
   * response: a second one while the cookie is sealed (an error handler after `res.send`) is
   * ignored, as express-session does, and the first one's status and content headers are what is
   * sent. An `end` that throws once deferred (an invalid status code) is logged and the connection
   * closed, never an unhandled rejection.
   */
  private commitAtEnd(session: CookieSession, res: Response): void {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let ending = false;
    res.end = ((...args: unknown[]) => {
      if (ending) return res;
      if (res.headersSent) {
        res.end = end as Response['end'];
        if (this.changedSince(session)) this.logLateChange();
        return end(...args);
      }
      ending = true;
      const sent = snapshot(res);
      const finish = (run: () => void) => {
        res.end = end as Response['end'];
        try {
          run();
        } catch (err) {
          this.logger.error(
            `The response could not be sent: ${err instanceof Error ? err.message : String(err)}`,
          );
          res.destroy();
        }
      };
      this.save(session).then(
        () => finish(() => end(...restore(res, sent, args))),
        (err: unknown) => finish(() => this.refuse(res, end, err)),
      );
      return res;
    }) as Response['end'];
  }

  /** The session could not be sealed (too large): a 500 that says why, never a cookie the browser drops. */
  private refuse(res: Response, end: (...args: unknown[]) => Response, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.logger.error(message);
    if (res.headersSent) return void end();
    res.statusCode = 500;
    res.removeHeader('Location');
    res.removeHeader('Content-Length');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    end('The session could not be saved; the server log says why.');
  }

  private changedSince(session: CookieSession): boolean {
    const arrived = this.arrived.get(session);
    const now = session.destroyed ? '{}' : JSON.stringify(session.values());
    return now !== (arrived?.json ?? '{}');
  }

  private logLateChange(): void {
    if (this.lateChangeLogged) return;
    this.lateChangeLogged = true;
    this.logger.warn(
      'A session change made after the response started (a streamed response) was not saved: ' +
        'with IdentityWeb:Session:Mode "cookie", change the session before writing the body (logged once).',
    );
  }
}

/** No values worth a cookie: nothing, or only the library's empty state. */
function isEmpty(data: Record<string, unknown>): boolean {
  return Object.entries(data).every(
    ([key, value]) =>
      key === 'identityWeb' &&
      Object.values(value as object).every((v) => v === undefined || (Array.isArray(v) && v.length === 0)),
  );
}
