import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb:Consent', () => {
  it('handles challenges app-wide by default, landing form posts on /', () => {
    expect(normalize(base()).options.consent).toEqual({
      appWide: true,
      formPostFallbackUrl: '/',
      resubmitFormPosts: true,
      resubmitMaxBytes: 16_384,
      applicationName: 'this app',
    });
  });

  it('reads keys in any casing, booleans and lists from strings (environment variables)', () => {
    const { options } = normalize(base(), {
      IdentityWeb__Consent__APPWIDE: 'false',
      IdentityWeb__Consent__Scopes: 'user.read mail.read',
      IdentityWeb__Consent__UserFlow: 'B2C_1_susi',
      IdentityWeb__Consent__FormPostFallbackUrl: '/todos',
      IdentityWeb__Consent__ResubmitFormPosts: 'false',
      IdentityWeb__Consent__ResubmitMaxBytes: '4096',
      IdentityWeb__Consent__ApplicationName: 'Contoso Mail',
    });
    expect(options.consent).toEqual({
      appWide: false,
      scopes: ['user.read', 'mail.read'],
      userFlow: 'B2C_1_susi',
      formPostFallbackUrl: '/todos',
      resubmitFormPosts: false,
      resubmitMaxBytes: 4096,
      applicationName: 'Contoso Mail',
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
