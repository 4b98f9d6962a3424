import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb', () => {
  describe('reading', () => {
    it('reads library settings from the top level and lets the IdentityWeb section win', () => {
      const secret = 'x'.repeat(32);
      const { options } = normalize({
        ...base(),
        accountRoutesPrefix: '/auth/',
        requireSignIn: true,
        IdentityWeb: {
          RequireSignIn: 'false',
          Session: { Secret: secret, SameSite: 'Strict', Secure: 'true' },
        },
      });
      expect(options.accountRoutesPrefix).toBe('/auth');
      expect(options.requireSignIn).toBe(false);
      expect(options.session).toEqual({
        secret,
        cookieName: 'iw.sid',
        secure: true,
        maxAgeMs: 8 * 60 * 60 * 1000,
        sameSite: 'strict',
      });
    });

    it('reads SignOutMethods in any casing, and refuses methods other than GET and POST', () => {
      expect(normalize({ ...base(), signOutMethods: ['post'] }).options.signOutMethods).toEqual(['POST']);
      expect(
        normalize({ ...base(), IdentityWeb: { SignOutMethods: 'GET POST' } }).options.signOutMethods,
      ).toEqual(['GET', 'POST']);
      expect(problems({ ...base(), IdentityWeb: { SignOutMethods: ['DELETE'] } })).toEqual([
        expect.stringMatching(/^IdentityWeb:SignOutMethods must list GET and\/or POST/),
      ]);
    });
  });

  describe('validation', () => {
    it('refuses a bad account routes prefix', () => {
      expect(problems({ ...base(), accountRoutesPrefix: 'account' })).toEqual([
        expect.stringMatching(/^AccountRoutesPrefix must be a path/),
      ]);
    });
  });
});
