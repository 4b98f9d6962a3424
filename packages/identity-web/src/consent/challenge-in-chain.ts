import { ChallengeUserException } from '../errors';

/** A ChallengeUserException, possibly from another copy of the package (so no `instanceof`). */
type ChallengeLike = Error &
  Partial<Pick<ChallengeUserException, 'scopes' | 'claims' | 'userFlow' | 'msalErrorCode'>>;

/**
 * The `ChallengeUserException` that `err` is or that caused it (along `cause`, at most 10 deep),
 * also one thrown by another copy of the package (recognised by its `code`).
 *
 * @example
 * ```ts
 * findChallenge(new Error('Graph call failed', { cause: challenge })); // challenge
 * ```
 */
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

/**
 * The challenge in `err` as this copy's class: the same object when it is one, else a copy that
 * keeps the original as its `cause`; `undefined` when `err` holds no challenge.
 *
 * @example
 * ```ts
 * const challenge = challengeIn(err); // ChallengeUserException | undefined
 * ```
 */
export function challengeIn(err: unknown): ChallengeUserException | undefined {
  const challenge = findChallenge(err);
  if (!challenge || challenge instanceof ChallengeUserException) return challenge;
  return new ChallengeUserException(challenge.scopes ?? [], challenge.message, {
    claims: challenge.claims,
    userFlow: challenge.userFlow,
    msalErrorCode: challenge.msalErrorCode,
    cause: challenge,
  });
}

/**
 * What `@Catch(ChallengeInChain)` catches: any error that is or wraps a `ChallengeUserException`
 * (see {@link findChallenge}). Nest picks a filter with `exception instanceof <caught type>`, so
 * this class answers `instanceof` itself: filters see wrapped challenges without an interceptor
 * rethrowing them on every route, and other errors go on to the app's own filters untouched.
 *
 * @example
 * ```ts
 * @Catch(ChallengeInChain) class MyConsentFilter implements ExceptionFilter { ... }
 * ```
 */
export abstract class ChallengeInChain {
  static [Symbol.hasInstance](value: unknown): boolean {
    return findChallenge(value) !== undefined;
  }
}
