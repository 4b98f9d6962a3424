import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NoSignedInUserError } from '../errors';
import { ALLOW_ANONYMOUS_KEY } from './allow-anonymous.decorator';
import { sessionUser } from './sign-in-session';
import type { SignedInUser } from '../token-acquisition/signed-in-user';

/**
 * Requires a signed-in user on a controller or route, whatever `requireSignIn` says; routes
 * marked `@AllowAnonymous()` stay open. Without a user it throws `IdentityWebError('no_user')`,
 * which the library's filter turns into a redirect to sign in (browser navigation, coming back
 * to the same path and query) or a 401 (API and `fetch` calls). Built from protected steps:
 * `shouldSkip`, `getRequest`, `getUser`, `handleNoUser`, `handleUncheckable`.
 *
 * It fails closed: HTTP requests and GraphQL operations over HTTP (whose context carries the
 * Express request as `req` or `request`) are checked against the session; handlers it cannot check
 * (WebSocket gateways, microservice message handlers, GraphQL subscriptions) are refused unless
 * marked `@AllowAnonymous()`. Protect those with your own guard, or override `getRequest` to
 * return a request carrying the session.
 *
 * @example
 * ```ts
 * @UseGuards(SignedInGuard)
 * @Controller('mail')
 * export class MailController {}
 * ```
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(protected readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.shouldSkip(context)) return true;
    const request = this.getRequest(context);
    if (request === undefined) return this.handleUncheckable(context);
    if (this.getUser(request)) return true;
    return this.handleNoUser(context);
  }

  /** `true` when the route or its controller is marked `@AllowAnonymous()`. */
  protected shouldSkip(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_ANONYMOUS_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  /**
   * The HTTP request whose session holds the user: Express's for `http`, the GraphQL context's
   * `req` / `request` for `graphql`; `undefined` for contexts without one (`ws`, `rpc`...).
   */
  protected getRequest(context: ExecutionContext): unknown {
    const type = context.getType<string>();
    if (type === 'http') return context.switchToHttp().getRequest<unknown>();
    if (type === 'graphql') {
      const graphqlContext = context.getArgs<unknown[]>()[2] as
        { req?: unknown; request?: unknown } | undefined;
      const request = graphqlContext?.req ?? graphqlContext?.request;
      return request && typeof request === 'object' ? request : undefined;
    }
    return undefined;
  }

  /** The user kept in the session by the sign-in callback. */
  protected getUser(request: unknown): SignedInUser | undefined {
    return sessionUser(request);
  }

  /** Refuses a handler whose context carries no HTTP request to check (fail closed). */
  protected handleUncheckable(context: ExecutionContext): never {
    throw new NoSignedInUserError(
      `Sign-in required: the sign-in guard cannot check a '${context.getType()}' handler; ` +
        'mark it @AllowAnonymous() and protect it with your own guard.',
    );
  }

  /** Refuses the request; override to answer differently (for example 403 for API routes). */
  protected handleNoUser(_context: ExecutionContext): never {
    throw new NoSignedInUserError('Sign-in required.');
  }
}
