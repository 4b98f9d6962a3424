import { CLIENT_ID, normalize, problems, withAzureAd } from '../../test/support/normalize-options';
import { ciamTenantOf } from './azure-ad.authority';

/** `AzureAd` with only the authority keys given, besides a client id. */
function only(keys: Record<string, string>) {
  return { AzureAd: { ClientId: CLIENT_ID, ...keys } };
}

describe('the authority, as Microsoft.Identity.Web reads it', () => {
  describe('Authority with Instance and TenantId (regression: Authority used to win)', () => {
    it('uses Instance and TenantId and ignores Authority, with a warning, when all three are given', () => {
      const { options, warnings } = normalize(
        only({
          Authority: 'https://login.microsoftonline.com/common',
          Instance: 'https://login.microsoftonline.us/',
          TenantId: 'contoso.onmicrosoft.com',
        }),
      );
      expect(options.azureAd).toMatchObject({
        authority: 'https://login.microsoftonline.us/contoso.onmicrosoft.com',
        instance: 'https://login.microsoftonline.us/',
        tenantId: 'contoso.onmicrosoft.com',
      });
      expect(warnings).toEqual([
        'AzureAd:Authority is ignored: Instance and TenantId are given and win over it, as in ' +
          'Microsoft.Identity.Web; give either Authority, or Instance and TenantId.',
      ]);
    });

    it('takes the missing Instance from the Authority when only TenantId is given', () => {
      const { options, warnings } = normalize(
        only({ Authority: 'https://login.microsoftonline.us/common/v2.0', TenantId: 'organizations' }),
      );
      expect(options.azureAd.authority).toBe('https://login.microsoftonline.us/organizations');
      expect(warnings).toEqual([expect.stringMatching(/\(the Instance is taken from the Authority\)/)]);
    });

    it('takes the missing TenantId from the Authority when only Instance is given', () => {
      const { options, warnings } = normalize(
        only({
          Authority: 'https://login.microsoftonline.com/organizations',
          Instance: 'https://login.microsoftonline.us',
        }),
      );
      expect(options.azureAd.authority).toBe('https://login.microsoftonline.us/organizations');
      expect(warnings).toEqual([
        expect.stringMatching(/^AzureAd:Authority is ignored: Instance is given and wins/),
      ]);
    });

    it('uses the Authority alone, without a warning, trimming /v2.0', () => {
      const { options, warnings } = normalize(
        only({ Authority: 'https://login.microsoftonline.com/organizations/v2.0' }),
      );
      expect(options.azureAd).toMatchObject({
        authority: 'https://login.microsoftonline.com/organizations',
        tenantId: 'organizations',
      });
      expect(warnings).toEqual([]);
    });

    it('refuses an Authority that names no tenant', () => {
      expect(problems(only({ Authority: 'https://login.microsoftonline.com/' }))).toEqual([
        'AzureAd:Authority names no tenant: give it as https://login.microsoftonline.com/<tenant>, or give TenantId.',
      ]);
    });
  });

  describe('Entra External ID (CIAM): a ciamlogin.com host without a tenant', () => {
    it.each([
      ['Authority', { Authority: 'https://contoso.ciamlogin.com/' }],
      ['Authority with /v2.0', { Authority: 'https://contoso.ciamlogin.com/v2.0' }],
      ['Instance alone', { Instance: 'https://contoso.ciamlogin.com/' }],
    ])(
      'gets the tenant <name>.onmicrosoft.com from %s (regression: sign-in failed with 503)',
      (_name, keys) => {
        const { options, warnings } = normalize(only(keys));
        expect(options.azureAd).toMatchObject({
          authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com',
          instance: 'https://contoso.ciamlogin.com/',
          tenantId: 'contoso.onmicrosoft.com',
        });
        expect(warnings).toEqual([]);
      },
    );

    it('keeps a tenant the CIAM authority names', () => {
      const tenant = '7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53';
      const { options } = normalize(only({ Authority: `https://contoso.ciamlogin.com/${tenant}` }));
      expect(options.azureAd.authority).toBe(`https://contoso.ciamlogin.com/${tenant}`);
      expect(options.azureAd.tenantId).toBe(tenant);
    });

    it('recognises only ciamlogin.com hosts', () => {
      expect(ciamTenantOf(new URL('https://Fabrikam.CIAMLOGIN.com/'))).toBe('fabrikam.onmicrosoft.com');
      expect(ciamTenantOf(new URL('https://contoso.ciamlogin.com.evil.example/'))).toBeUndefined();
      expect(ciamTenantOf(new URL('https://login.microsoftonline.com/'))).toBeUndefined();
    });
  });

  it('still requires a tenant for Instance alone on other hosts', () => {
    expect(problems(withAzureAd({ TenantId: undefined }))).toEqual([
      expect.stringMatching(/^AzureAd:TenantId is required \(or give AzureAd:Authority\)/),
    ]);
  });
});
