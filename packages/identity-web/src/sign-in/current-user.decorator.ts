import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { sessionUser } from './sign-in-session';
import type { SignedInUser } from '../token-acquisition/signed-in-user';

/**
 * Injects the signed-in user ({@link SignedInUser}) of the request, or `undefined` when anonymous.
 *
 * @example
 * ```ts
 * @Get('profile')
 * profile(@CurrentUser() user: SignedInUser) { return `Hello ${user.name}`; }
 * ```
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SignedInUser | undefined =>
    sessionUser(context.switchToHttp().getRequest()),
);
