import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { IdentityWebError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import { AllowAnonymous } from './allow-anonymous.decorator';
import { SignInRequiredGuard } from './sign-in-required.guard';
import { SignedInGuard } from './signed-in.guard';

@Controller()
class PagesController {
  @Get('private') privatePage(): void {}
  @AllowAnonymous() @Get('public') publicPage(): void {}
}

@AllowAnonymous()
@Controller()
class OpenController {
  @Get() page(): void {}
}

const user = { homeAccountId: 'a.b', tenantId: 'b', localAccountId: 'a', username: 'u', environment: 'e' };

function context(
  controller: object,
  handler: string,
  request: object,
  type = 'http',
  args: unknown[] = [request, {}],
): ExecutionContextHost {
  const host = new ExecutionContextHost(
    args,
    controller.constructor as never,
    (controller as never)[handler],
  );
  host.setType(type);
  return host;
}

function refusal(run: () => unknown): IdentityWebError {
  try {
    run();
  } catch (err) {
    return err as IdentityWebError;
  }
  throw new Error('expected a refusal');
}

describe('sign-in guards', () => {
  const reflector = new Reflector();
  const pages = new PagesController();
  const anonymous = { session: {} };
  const signedIn = { session: { identityWeb: { user } } };

  it('global guard refuses anonymous users with no_user and lets signed-in users through', () => {
    const guard = new SignInRequiredGuard(reflector, { requireSignIn: true } as IdentityWebOptions);
    expect(refusal(() => guard.canActivate(context(pages, 'privatePage', anonymous))).code).toBe('no_user');
    expect(guard.canActivate(context(pages, 'privatePage', signedIn))).toBe(true);
  });

  it('global guard lets @AllowAnonymous routes and controllers through', () => {
    const guard = new SignInRequiredGuard(reflector, { requireSignIn: true } as IdentityWebOptions);
    expect(guard.canActivate(context(pages, 'publicPage', anonymous))).toBe(true);
    expect(guard.canActivate(context(new OpenController(), 'page', anonymous))).toBe(true);
  });

  it('global guard does nothing when requireSignIn is false, but SignedInGuard still protects', () => {
    const global = new SignInRequiredGuard(reflector, { requireSignIn: false } as IdentityWebOptions);
    expect(global.canActivate(context(pages, 'privatePage', anonymous))).toBe(true);
    const perController = new SignedInGuard(reflector);
    expect(refusal(() => perController.canActivate(context(pages, 'privatePage', anonymous))).code).toBe(
      'no_user',
    );
    expect(perController.canActivate(context(pages, 'publicPage', anonymous))).toBe(true);
  });

  it('fails closed for contexts it cannot check (WebSocket, microservices) unless @AllowAnonymous', () => {
    const guard = new SignInRequiredGuard(reflector, { requireSignIn: true } as IdentityWebOptions);
    for (const type of ['ws', 'rpc']) {
      const refused = refusal(() => guard.canActivate(context(pages, 'privatePage', signedIn, type)));
      expect(refused.code).toBe('no_user');
      expect(refused.message).toContain(`'${type}'`);
      expect(guard.canActivate(context(pages, 'publicPage', anonymous, type))).toBe(true);
    }
    expect(
      refusal(() => new SignedInGuard(reflector).canActivate(context(pages, 'privatePage', {}, 'ws'))).code,
    ).toBe('no_user');
  });

  it('checks GraphQL operations over HTTP against the session of the context request', () => {
    const guard = new SignInRequiredGuard(reflector, { requireSignIn: true } as IdentityWebOptions);
    const gql = (ctx: object) => context(pages, 'privatePage', {}, 'graphql', [{}, {}, ctx, {}]);
    expect(guard.canActivate(gql({ req: signedIn }))).toBe(true);
    expect(guard.canActivate(gql({ request: signedIn }))).toBe(true);
    expect(refusal(() => guard.canActivate(gql({ req: anonymous }))).message).toBe('Sign-in required.');
    expect(refusal(() => guard.canActivate(gql({}))).message).toContain("'graphql'");
  });

  it('lets subclasses change how a missing user is answered', () => {
    class ApiGuard extends SignedInGuard {
      protected override handleNoUser(): never {
        throw new Error('custom');
      }
    }
    expect(
      refusal(() => new ApiGuard(reflector).canActivate(context(pages, 'privatePage', anonymous))).message,
    ).toBe('custom');
  });
});
