import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, type Observable, throwError } from 'rxjs';
import { ChallengeUserException } from '../errors';
import { AUTHORIZE_FOR_SCOPES, type AuthorizeForScopesOptions } from './authorize-for-scopes.options';
import { rememberChallengeRoute } from './challenge-route';

/**
 * Finds a `ChallengeUserException` in what the handler threw (itself or along its `cause`
 * chain), remembers the route's `@AuthorizeForScopes()` options for the request, and rethrows the
 * exception itself, so the consent filter acts on it with the route's scopes. Other errors pass
 * through untouched. The module registers it globally, so a challenge wrapped in another error
 * is recognised on every route.
 *
 * @example
 * ```ts
 * providers: [{ provide: APP_INTERCEPTOR, useClass: ChallengeScopesInterceptor }] // IdentityWebModule does this
 * ```
 */
@Injectable()
export class ChallengeScopesInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        const challenge = findChallenge(err);
        if (!challenge) return throwError(() => err);
        // Kept per request, not on the exception: single-flight token requests reject every
        // waiter, on any route, with the same exception object.
        rememberChallengeRoute(
          context.switchToHttp().getRequest<object>(),
          this.reflector.getAllAndOverride<AuthorizeForScopesOptions>(AUTHORIZE_FOR_SCOPES, [
            context.getHandler(),
            context.getClass(),
          ]),
        );
        return throwError(() => asOwnChallenge(challenge));
      }),
    );
  }
}

/** A ChallengeUserException, possibly from another copy of the package (so no `instanceof`). */
type ChallengeLike = Error &
  Partial<Pick<ChallengeUserException, 'scopes' | 'claims' | 'userFlow' | 'msalErrorCode'>>;

/** The ChallengeUserException that `err` is or that caused it, at most 10 causes deep. */
export function findChallenge(err: unknown): ChallengeLike | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current; depth++) {
    if (current instanceof Error && (current as Error & { code?: unknown }).code === 'challenge_user') {
      return current;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/** The challenge as is; one from another copy of the package is copied into this copy's class, which the filters catch. */
function asOwnChallenge(challenge: ChallengeLike): ChallengeUserException {
  if (challenge instanceof ChallengeUserException) return challenge;
  return new ChallengeUserException(challenge.scopes ?? [], challenge.message, {
    claims: challenge.claims,
    userFlow: challenge.userFlow,
    msalErrorCode: challenge.msalErrorCode,
    cause: challenge,
  });
}
