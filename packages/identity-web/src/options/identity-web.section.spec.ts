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
        mode: 'store',
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

  describe('ForwardedHeaders and AllowedHosts', () => {
    it('reads a hop count (also from an environment variable) or addresses, and refuses true', () => {
      expect(normalize(base(), { IdentityWeb__ForwardedHeaders: '1' }).options.forwardedHeaders).toBe(1);
      expect(
        normalize({ ...base(), IdentityWeb: { ForwardedHeaders: 'loopback, 10.0.0.0/8' } }).options
          .forwardedHeaders,
      ).toEqual(['loopback', '10.0.0.0/8']);
      expect(normalize(base()).options.forwardedHeaders).toBeUndefined();
      for (const value of [true, 'true', 'not-an-address']) {
        expect(problems({ ...base(), IdentityWeb: { ForwardedHeaders: value } })).toEqual([
          expect.stringMatching(/^IdentityWeb:ForwardedHeaders must be the number of proxies/),
        ]);
      }
    });

    it('ignores ASP.NET\'s top-level "AllowedHosts": "*" (regression: copied appsettings turned the Host check off)', () => {
      const { options, warnings } = normalize({ ...base(), AllowedHosts: '*' });
      expect(options.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
      expect(warnings).toEqual([]);
      const own = normalize({ ...base(), IdentityWeb: { AllowedHosts: 'app.example *.contoso.example' } });
      expect(own.options.allowedHosts).toEqual(['app.example', '*.contoso.example']);
      expect(normalize({ ...base(), IdentityWeb: { AllowedHosts: '*' } }).warnings).toEqual([
        expect.stringMatching(/^IdentityWeb:AllowedHosts is '\*'/),
      ]);
    });
  });
});
