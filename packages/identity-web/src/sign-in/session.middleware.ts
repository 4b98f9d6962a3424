import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { IdentityWebOptions } from '../options/identity-web.options';

export { DEFAULT_SESSION_COOKIE } from '../options/session.section';

/**
 * The browser session (express-session) built from `options.session`: the cookie `iw.sid` is
 * HttpOnly, SameSite `lax`, Secure when the request came over https (or always with
 * `secure: true`), signed with `secret`, kept in `store` (in memory by default: one instance
 * only). Sessions are created only when there is something to keep (a pending sign-in or a user).
 *
 * @example
 * ```ts
 * IdentityWebModule.forRoot({ azureAd, session: { secret: process.env.SESSION_SECRET!, store: new RedisStore({ client }) } });
 * ```
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;

  constructor(options: IdentityWebOptions) {
    // The options schema has filled every default and refused a missing or short secret.
    const settings = options.session;
    this.handler = session({
      name: settings.cookieName,
      secret: settings.secret,
      store: settings.store as session.Store | undefined,
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: settings.sameSite,
        secure: settings.secure,
        maxAge: settings.maxAgeMs,
        path: '/',
      },
    });
  }

  use(
    req: Parameters<RequestHandler>[0],
    res: Parameters<RequestHandler>[1],
    next: (err?: unknown) => void,
  ): void {
    void this.handler(req, res, next);
  }
}
