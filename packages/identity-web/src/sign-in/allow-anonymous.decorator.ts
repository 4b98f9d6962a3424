import { SetMetadata } from '@nestjs/common';

/**
 * Metadata key set by {@link AllowAnonymous}, for guards of your own that should let the same
 * routes through.
 *
 * @example
 * ```ts
 * if (reflector.getAllAndOverride<boolean>(ALLOW_ANONYMOUS_KEY, [context.getHandler(), context.getClass()])) return true;
 * ```
 */
export const ALLOW_ANONYMOUS_KEY = 'identity-web:allow-anonymous';

/**
 * Lets anonymous users reach a route or a whole controller, which the global sign-in guard
 * otherwise protects (like ASP.NET's `[AllowAnonymous]` against the fallback policy).
 *
 * @example
 * ```ts
 * @Controller()
 * export class HomeController {
 *   @AllowAnonymous()
 *   @Get()
 *   home() { return 'Welcome'; }
 * }
 * ```
 */
export const AllowAnonymous = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOW_ANONYMOUS_KEY, true);
