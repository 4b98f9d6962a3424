import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { InvalidConfigurationError } from '../errors';
import { IdentityWebOptions } from '../options/identity-web.options';

/** Name of the session cookie unless `session.cookieName` says otherwise. */
export const DEFAULT_SESSION_COOKIE = 'iw.sid';

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
    const settings = options.session;
    if (!settings?.secret || (Array.isArray(settings.secret) && settings.secret.length === 0)) {
      throw new InvalidConfigurationError(
        'Session:Secret',
        'is required to sign the session cookie: a random string of at least 32 characters.',
      );
    }
    this.handler = session({
      name: settings.cookieName ?? DEFAULT_SESSION_COOKIE,
      secret: settings.secret,
      store: settings.store as session.Store | undefined,
      resave: false,
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: settings.sameSite ?? 'lax',
        secure: settings.secure ?? 'auto',
        maxAge: settings.maxAgeMs ?? 8 * 60 * 60 * 1000,
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
