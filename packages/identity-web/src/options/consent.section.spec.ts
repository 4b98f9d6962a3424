import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb:Consent', () => {
  it('handles challenges app-wide by default, landing form posts on /', () => {
    expect(normalize(base()).options.consent).toEqual({ appWide: true, formPostFallbackUrl: '/' });
  });

  it('reads keys in any casing, booleans and lists from strings (environment variables)', () => {
    const { options } = normalize(base(), {
      IdentityWeb__Consent__APPWIDE: 'false',
      IdentityWeb__Consent__Scopes: 'user.read mail.read',
      IdentityWeb__Consent__UserFlow: 'B2C_1_susi',
      IdentityWeb__Consent__FormPostFallbackUrl: '/todos',
    });
    expect(options.consent).toEqual({
      appWide: false,
      scopes: ['user.read', 'mail.read'],
      userFlow: 'B2C_1_susi',
      formPostFallbackUrl: '/todos',
    });
  });

  it('treats an empty Scopes list as none', () => {
    expect(normalize({ ...base(), consent: { scopes: [] } }).options.consent.scopes).toBeUndefined();
  });

  it('refuses Scopes together with ScopeKeySection', () => {
    const consent = { Scopes: ['user.read'], ScopeKeySection: 'DownstreamApis:GraphAPI:Scopes' };
    expect(problems({ ...base(), IdentityWeb: { Consent: consent } })).toEqual([
      'IdentityWeb:Consent:ScopeKeySection cannot be given together with Scopes: choose one.',
    ]);
  });

  it.each(['https://evil.example/', '//evil.example/x', 'todos'])(
    'refuses a FormPostFallbackUrl outside the app (%s)',
    (url) => {
      expect(problems({ ...base(), IdentityWeb: { Consent: { FormPostFallbackUrl: url } } })).toEqual([
        expect.stringMatching(
          /^IdentityWeb:Consent:FormPostFallbackUrl must be a path of this app, such as '\/'/,
        ),
      ]);
    },
  );
});
