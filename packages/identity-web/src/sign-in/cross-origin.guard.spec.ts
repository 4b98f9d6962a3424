import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IdentityWebOptions } from '../options/identity-web.options';
import { AllowCrossOrigin } from './allow-cross-origin.decorator';
import { CrossOriginGuard } from './cross-origin.guard';

class Routes {
  guarded(): void {}
  @AllowCrossOrigin()
  open(): void {}
}

const signedIn = { identityWeb: { user: { homeAccountId: 'a.b' } } };

function allows(
  request: { method?: string; headers?: Record<string, string>; session?: object },
  options: Partial<IdentityWebOptions> = {},
  handler: keyof Routes = 'guarded',
): boolean {
  const req = {
    method: 'POST',
    protocol: 'https',
    headers: { host: 'app.example' },
    session: signedIn,
    ...request,
    get: (name: string) => (name === 'host' ? 'app.example' : undefined),
  };
  req.headers = { host: 'app.example', ...request.headers };
  const context = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  const guard = new CrossOriginGuard(new Reflector(), {
    azureAd: {},
    trustedOrigins: [],
    allowedHosts: ['app.example'],
    crossOriginProtection: true,
    ...options,
  } as unknown as IdentityWebOptions);
  try {
    return guard.canActivate(context);
  } catch (err) {
    expect(err).toMatchObject({ code: 'cross_origin_request' });
    return false;
  }
}

describe('CrossOriginGuard', () => {
  it('refuses a signed-in POST from another origin (Fetch Metadata, else Origin)', () => {
    expect(allows({ headers: { 'sec-fetch-site': 'same-site' } })).toBe(false);
    expect(allows({ headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } })).toBe(
      false,
    );
    expect(allows({ headers: { origin: 'https://other.app.example' } })).toBe(false);
    expect(allows({ headers: { origin: 'null' } })).toBe(false);
    expect(allows({ method: 'DELETE', headers: { 'sec-fetch-site': 'same-site' } })).toBe(false);
  });

  it("lets the app's own pages, safe methods, bearer calls and clients that say nothing through", () => {
    expect(allows({ headers: { 'sec-fetch-site': 'same-origin' } })).toBe(true);
    expect(allows({ headers: { origin: 'https://app.example' } })).toBe(true);
    expect(allows({ method: 'GET', headers: { 'sec-fetch-site': 'cross-site' } })).toBe(true);
    expect(allows({ session: {}, headers: { 'sec-fetch-site': 'cross-site' } })).toBe(true);
    expect(allows({ headers: {} })).toBe(true);
  });

  it('lets trusted origins, @AllowCrossOrigin() routes and CrossOriginProtection: false through', () => {
    const fromAdmin = { headers: { 'sec-fetch-site': 'same-site', origin: 'https://admin.example' } };
    expect(allows(fromAdmin, { trustedOrigins: ['https://admin.example'] })).toBe(true);
    expect(allows(fromAdmin, {}, 'open')).toBe(true);
    expect(allows(fromAdmin, { crossOriginProtection: false })).toBe(true);
  });
});
