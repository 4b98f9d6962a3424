import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, type Observable, throwError } from 'rxjs';
import { ChallengeUserException } from '../errors';
import { AUTHORIZE_FOR_SCOPES, type AuthorizeForScopesOptions } from './authorize-for-scopes.options';

/** Where the interceptor leaves the route's `@AuthorizeForScopes()` options for the filter. */
export const CHALLENGE_ROUTE_OPTIONS = Symbol('identity-web:challenge-route-options');

/** A ChallengeUserException with the options of the route that raised it. */
export type RoutedChallenge = ChallengeUserException & {
  [CHALLENGE_ROUTE_OPTIONS]?: AuthorizeForScopesOptions;
};

/**
 * Finds a `ChallengeUserException` in what the handler threw (itself or along its `cause`
 * chain) and rethrows it with the route's `@AuthorizeForScopes()` options, so the consent filter
 * can act on it. Other errors pass through untouched. The module registers it globally, so a
 * challenge wrapped in another error is recognised on every route.
 */
@Injectable()
export class ChallengeScopesInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        const challenge = findChallenge(err);
        if (!challenge) return throwError(() => err);
        // A fresh exception per route: the caught one may be shared by concurrent requests
        // (single-flight token requests reject every waiter with the same error).
        const routed: RoutedChallenge = new ChallengeUserException(
          challenge.scopes ?? [],
          challenge.message,
          {
            claims: challenge.claims,
            userFlow: challenge.userFlow,
            msalErrorCode: challenge.msalErrorCode,
            cause: challenge.cause ?? challenge,
          },
        );
        routed[CHALLENGE_ROUTE_OPTIONS] =
          this.reflector.getAllAndOverride<AuthorizeForScopesOptions>(AUTHORIZE_FOR_SCOPES, [
            context.getHandler(),
            context.getClass(),
          ]) ?? null;
        return throwError(() => routed);
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
