import { Injectable, type NestMiddleware } from '@nestjs/common';
import { sessionUser } from './sign-in-session';
import { currentRequestContext, runWithRequestContext } from '../token-acquisition/request-context';

/**
 * Runs the rest of the request inside the library's request context, carrying the signed-in
 * user from the session, so singleton services (token acquisition, downstream APIs) know who
 * the user is. Also sets `req.user` as passport-based code expects. Installed by the module
 * after the session middleware.
 *
 * @example
 * ```ts
 * consumer.apply(SessionMiddleware, RequestContextMiddleware).forRoutes('{*path}');
 * ```
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: { user?: unknown }, _res: unknown, next: (err?: unknown) => void): void {
    const user = sessionUser(req);
    if (user && req.user === undefined) req.user = user;
    const outer = currentRequestContext();
    // An anonymous request has nothing to carry: no context (the same as `user: undefined`).
    if (!user && !outer) return next();
    runWithRequestContext({ ...outer, user }, () => next());
  }
}
