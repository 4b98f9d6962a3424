import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IdentityWebError } from '../errors';
import { ALLOW_ANONYMOUS_KEY } from './allow-anonymous.decorator';
import { sessionUser } from './sign-in-session';
import type { SignedInUser } from './signed-in-user';

/**
 * Requires a signed-in user on a controller or route, whatever `requireSignIn` says; routes
 * marked `@AllowAnonymous()` stay open. Without a user it throws `IdentityWebError('no_user')`,
 * which the library's filter turns into a redirect to sign in (browser navigation, coming back
 * to the same path and query) or a 401 (API and `fetch` calls). Built from protected steps:
 * `shouldSkip`, `getRequest`, `getUser`, `handleNoUser`.
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
    if (context.getType() !== 'http' || this.shouldSkip(context)) return true;
    if (this.getUser(this.getRequest(context))) return true;
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

  protected getRequest(context: ExecutionContext): unknown {
    return context.switchToHttp().getRequest();
  }

  /** The user kept in the session by the sign-in callback. */
  protected getUser(request: unknown): SignedInUser | undefined {
    return sessionUser(request);
  }

  /** Refuses the request; override to answer differently (for example 403 for API routes). */
  protected handleNoUser(_context: ExecutionContext): never {
    throw new IdentityWebError('no_user', 'Sign-in required.');
  }
}
