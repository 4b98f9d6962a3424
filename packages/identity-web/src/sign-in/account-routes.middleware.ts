import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AccountRoutesTable, type AccountRoute } from './account-routes.table';
import { ResubmitHandler } from './resubmit.handler';
import { SignInHandler } from './sign-in.handler';
import { SignOutHandler } from './sign-out.handler';

/**
 * Answers the account routes (sign-in, challenge, user flows, the callback, sign-out, resubmitting
 * a form post kept during consent, the browser helper script) before the
 * app's controllers, whose paths cannot come from options: it finds the route in the table built
 * at start-up and hands the request to the {@link SignInHandler}, the {@link SignOutHandler} or the
 * {@link ResubmitHandler};
 * every other request goes on untouched.
 *
 * @example
 * ```ts
 * consumer.apply(SessionMiddleware, RequestContextMiddleware, AccountRoutesMiddleware).forRoutes('{*path}');
 * ```
 */
@Injectable()
export class AccountRoutesMiddleware implements NestMiddleware {
  private readonly table: AccountRoutesTable;

  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly signIn: SignInHandler,
    protected readonly signOut: SignOutHandler,
    protected readonly resubmit: ResubmitHandler,
  ) {
    this.table = new AccountRoutesTable(options);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const route = this.table.match(req.method, req.originalUrl);
    if (!route) return next();
    this.handle(route, req, res, next).catch(next);
  }

  protected handle(route: AccountRoute, req: Request, res: Response, next: NextFunction): Promise<void> {
    switch (route) {
      case 'signin':
        return this.signIn.signIn(req, res);
      case 'challenge':
        return this.signIn.challenge(req, res);
      case 'editProfile':
        return this.signIn.runUserFlow(req, res, this.options.azureAd.editProfilePolicyId!);
      case 'resetPassword':
        return this.signIn.runUserFlow(req, res, this.options.azureAd.resetPasswordPolicyId!);
      case 'callback':
        return this.signIn.callback(req, res, next);
      case 'signout':
        return this.signOut.signOut(req, res);
      case 'signoutMethodNotAllowed':
        return this.signOut.methodNotAllowed(req, res);
      case 'signedOut':
        return this.signOut.signedOut(req, res);
      case 'resubmitPage':
        return Promise.resolve(this.resubmit.page(req, res));
      case 'resubmit':
        return this.resubmit.resend(req, res);
      case 'browserScript':
        return Promise.resolve(this.resubmit.script(req, res));
    }
  }
}
