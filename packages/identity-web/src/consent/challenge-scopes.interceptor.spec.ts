import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, throwError } from 'rxjs';
import { ChallengeUserException } from '../errors';
import { AuthorizeForScopes } from './authorize-for-scopes.decorator';
import { challengeRouteOf } from './challenge-route';
import { ChallengeScopesInterceptor } from './challenge-scopes.interceptor';

class MailController {
  @AuthorizeForScopes({ scopes: ['Mail.Read'] })
  list(): void {}
  plain(): void {}
}

/** Runs the interceptor around a handler of MailController that throws `err`, for `request`. */
function rethrown(err: unknown, request: object, handler: 'list' | 'plain' = 'list'): Promise<unknown> {
  const context = {
    getHandler: () => MailController.prototype[handler],
    getClass: () => MailController,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => throwError(() => err) };
  return firstValueFrom(new ChallengeScopesInterceptor(new Reflector()).intercept(context, next)).catch(
    (e: unknown) => e,
  );
}

describe('ChallengeScopesInterceptor', () => {
  const challenge = new ChallengeUserException(['Mail.Read'], 'consent required', { claims: '{"a":1}' });

  it('rethrows the challenge itself, never a copy, and keeps the route options per request', async () => {
    const first = {};
    const second = {};
    expect(await rethrown(challenge, first)).toBe(challenge);
    expect(await rethrown(challenge, second, 'plain')).toBe(challenge);
    expect(challengeRouteOf(first)).toEqual({ scopes: ['Mail.Read'] });
    expect(challengeRouteOf(second)).toBeNull();
    expect(Object.getOwnPropertySymbols(challenge)).toEqual([]);
  });

  it('finds the challenge along the cause chain of another error', async () => {
    expect(await rethrown(new Error('call failed', { cause: challenge }), {})).toBe(challenge);
  });

  it('copies a challenge from another copy of the library into this copy’s class', async () => {
    const foreign = Object.assign(new Error('consent required'), {
      code: 'challenge_user',
      scopes: ['Mail.Read'],
      claims: '{"a":1}',
    });
    const thrown = await rethrown(foreign, {});
    expect(thrown).toBeInstanceOf(ChallengeUserException);
    expect(thrown).toMatchObject({ scopes: ['Mail.Read'], claims: '{"a":1}', cause: foreign });
  });

  it('lets other errors through untouched, remembering nothing', async () => {
    const other = new Error('boom');
    const request = {};
    expect(await rethrown(other, request)).toBe(other);
    expect(challengeRouteOf(request)).toBeUndefined();
  });
});
