import { Injectable, Logger, Optional, type NestMiddleware } from '@nestjs/common';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { IdentityWebOptions } from '../options/identity-web.options';
import { requestPublicOrigin } from './app-urls';
import { CookieSessions } from './cookie-session.middleware';
import { SessionStoreProvider } from './session-store.provider';

export { DEFAULT_SESSION_COOKIE } from '../options/session.section';

/**
 * The express-session options `IdentityWeb:Session` (mode `store`) stands for: nothing saved until
 * there is something to keep, the cookie HttpOnly, SameSite and Secure as configured.
 *
 * @example
 * ```ts
 * app.use(session(expressSessionOptions(options.session, store)));
 * ```
 */
export function expressSessionOptions(
  settings: IdentityWebOptions['session'],
  store: session.Store | undefined,
): session.SessionOptions {
  return {
    name: settings.cookieName,
    secret: settings.secret,
    store,
    resave: false,
    saveUninitialized: false,
    cookie: {
      httpOnly: true,
      sameSite: settings.sameSite,
      secure: settings.secure,
      maxAge: settings.maxAgeMs,
      path: '/',
    },
  };
}

/**
 * The browser session built from `options.session`: the cookie `iw.sid` is HttpOnly, SameSite
 * `lax`, Secure when the request came over https (or always with `secure: true`). With `mode:
 * 'store'` (default) it is express-session's signed id, the session kept in `store` (in memory by
 * default: one instance only); with `mode: 'cookie'` the session itself, sealed ({@link CookieSessions}).
 * Sessions are created only when there is something to keep (a pending sign-in or a user).
 *
 * @example
 * ```ts
 * IdentityWebModule.forRoot({ azureAd, session: { secret: process.env.SESSION_SECRET!, store: new RedisStore({ client }) } });
 * ```
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;
  private insecureLogged = false;

  constructor(
    private readonly options: IdentityWebOptions,
    @Optional() stores?: SessionStoreProvider,
  ) {
    // The options schema has filled every default and refused a missing or short secret.
    const settings = options.session;
    if (settings.mode === 'cookie') {
      const sessions = new CookieSessions(settings);
      this.handler = (req, res, next) => sessions.handle(req, res, next);
      return;
    }
    this.handler = session(
      expressSessionOptions(settings, stores?.store ?? (settings.store as session.Store | undefined)),
    );
  }

  use(
    req: Parameters<RequestHandler>[0],
    res: Parameters<RequestHandler>[1],
    next: (err?: unknown) => void,
  ): void {
    // express-session reads `req.secure` for the Secure flag (and refuses to send a Secure cookie
    // over http): make it the public origin's, as a trusted proxy reports it.
    const secure = requestPublicOrigin(this.options, req).protocol === 'https';
    Object.defineProperty(req, 'secure', { value: secure, configurable: true, enumerable: true });
    if (!secure && this.options.session.secure === true) this.logInsecureOnce(req);
    void this.handler(req, res, next);
  }

  /** `Secure: true` over http: browsers would never get the cookie, so sign-in could not complete. */
  private logInsecureOnce(req: Parameters<RequestHandler>[0]): void {
    if (this.insecureLogged) return;
    this.insecureLogged = true;
    const forwarded = req.headers['x-forwarded-proto'] !== undefined || req.headers.forwarded !== undefined;
    new Logger('IdentityWeb').error(
      'IdentityWeb:Session:Secure is true but requests reach the app over http' +
        (forwarded
          ? ' (their X-Forwarded-Proto / Forwarded headers are ignored: IdentityWeb:ForwardedHeaders trusts no proxy that sent them)'
          : '') +
        ', so no session cookie is sent and sign-in cannot complete. Behind a TLS proxy, set ' +
        "IdentityWeb:ForwardedHeaders to the proxy's hop count (1) or addresses ('loopback', '10.0.0.0/8'); " +
        "otherwise serve https or set IdentityWeb:Session:Secure to 'auto' (logged once).",
    );
  }
}
