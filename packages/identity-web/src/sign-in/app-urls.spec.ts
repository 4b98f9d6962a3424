import { accountRoute } from './app-urls';

describe('accountRoute', () => {
  it('puts the route under the default prefix', () => {
    expect(accountRoute({ accountRoutesPrefix: '/account' }, 'signin')).toBe('/account/signin');
    expect(accountRoute({ accountRoutesPrefix: '/account' }, 'challenge')).toBe('/account/challenge');
  });

  it("puts the route at the root with prefix '/' (regression: it built '//signin')", () => {
    expect(accountRoute({ accountRoutesPrefix: '/' }, 'signin')).toBe('/signin');
    expect(accountRoute({ accountRoutesPrefix: '/' }, 'signout')).toBe('/signout');
  });

  it('uses a custom prefix, with or without a trailing slash', () => {
    expect(accountRoute({ accountRoutesPrefix: '/auth/me' }, 'editprofile')).toBe('/auth/me/editprofile');
    expect(accountRoute({ accountRoutesPrefix: '/auth/' }, 'resetpassword')).toBe('/auth/resetpassword');
  });
});
