import type { IdentityWebOptions } from '../options/identity-web.options';
import { AccountRoutesTable } from './account-routes.table';

function options(overrides: Partial<IdentityWebOptions> = {}, azureAd = {}): IdentityWebOptions {
  return {
    accountRoutesPrefix: '/account',
    signOutMethods: ['GET', 'POST'],
    azureAd: { callbackPath: '/signin-oidc', signedOutCallbackPath: '/signout-callback-oidc', ...azureAd },
    ...overrides,
  } as unknown as IdentityWebOptions;
}

/** The table, asked the way the middleware asks it. */
function matcher(opts: IdentityWebOptions) {
  const table = new AccountRoutesTable(opts);
  return { route: (method: string, url: string) => table.match(method, url) };
}

describe('AccountRoutesTable.match', () => {
  it('finds each route by path and method, ignoring case, a trailing slash and the query', () => {
    const m = matcher(options());
    expect(m.route('GET', '/account/signin?returnUrl=%2Fx')).toBe('signin');
    expect(m.route('HEAD', '/Account/SignIn/')).toBe('signin');
    expect(m.route('GET', '/account/challenge?scope=a')).toBe('challenge');
    expect(m.route('POST', '/signin-oidc')).toBe('callback');
    expect(m.route('GET', '/signin-oidc?code=x&state=y')).toBe('callback');
    expect(m.route('GET', '/signout-callback-oidc')).toBe('signedOut');
    expect(m.route('POST', '/account/signout')).toBe('signout');
    expect(m.route('POST', '/account/signin')).toBeUndefined();
    expect(m.route('PUT', '/account/signout')).toBeUndefined();
    expect(m.route('GET', '/account/signin/more')).toBeUndefined();
    expect(m.route('GET', '/profile?next=/account/signin')).toBeUndefined();
  });

  it('answers user-flow routes only when their policy is configured', () => {
    expect(matcher(options()).route('GET', '/account/editprofile')).toBeUndefined();
    const b2c = matcher(
      options({}, { editProfilePolicyId: 'B2C_1_edit', resetPasswordPolicyId: 'B2C_1_reset' }),
    );
    expect(b2c.route('GET', '/account/editprofile')).toBe('editProfile');
    expect(b2c.route('GET', '/account/resetpassword')).toBe('resetPassword');
  });

  it('sends a sign-out with a method signOutMethods leaves out to the 405 route', () => {
    const m = matcher(options({ signOutMethods: ['POST'] }));
    expect(m.route('GET', '/account/signout')).toBe('signoutMethodNotAllowed');
    expect(m.route('POST', '/account/signout')).toBe('signout');
  });

  it('lets the callback win when it shares its path with an account route', () => {
    const m = matcher(options({}, { callbackPath: '/account/signin' }));
    expect(m.route('GET', '/account/signin')).toBe('callback');
  });

  it('reads its options once, at construction, not on every request', () => {
    let reads = 0;
    const counted = options();
    const azureAd = counted.azureAd;
    Object.defineProperty(counted, 'azureAd', {
      get: () => {
        reads += 1;
        return azureAd;
      },
    });
    const m = matcher(counted);
    const atStartUp = reads;
    for (let i = 0; i < 10; i++) m.route('GET', `/page/${i}?q=${i}`);
    m.route('GET', '/account/signin');
    expect(reads).toBe(atStartUp);
  });
});
