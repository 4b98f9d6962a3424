import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AccountRoutesMiddleware } from './account-routes.middleware';
import { RequestContextMiddleware } from './request-context.middleware';
import { SessionMiddleware } from './session.middleware';

/**
 * The module's one middleware on every route: the session, then the request context, then the
 * account routes, in a single Nest middleware layer (each layer costs a route match and Nest's
 * wrapper on every request).
 *
 * @example
 * ```ts
 * consumer.apply(IdentityWebEntryMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
 * ```
 */
@Injectable()
export class IdentityWebEntryMiddleware implements NestMiddleware {
  constructor(
    private readonly session: SessionMiddleware,
    private readonly context: RequestContextMiddleware,
    private readonly accountRoutes: AccountRoutesMiddleware,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.session.use(req, res, (sessionError?: unknown) => {
      if (sessionError) return next(sessionError);
      this.context.use(req, res, (contextError?: unknown) =>
        contextError ? next(contextError) : this.accountRoutes.use(req, res, next),
      );
    });
  }
}
