import { IdentityWebConfiguration, InvalidConfigurationError } from 'nest-identity-web';
import { resolveGraphOptions } from './resolve-graph-options';

const azureAd = { Instance: 'https://login.microsoftonline.com/', TenantId: 'common', ClientId: 'id' };

function configuration(graph?: Record<string, unknown>, section = 'GraphAPI'): IdentityWebConfiguration {
  return IdentityWebConfiguration.from(
    { AzureAd: azureAd, DownstreamApis: graph ? { [section]: graph } : {} },
    {},
  );
}

describe('resolveGraphOptions', () => {
  it('defaults to Microsoft Graph v1.0 and User.Read, with no custom host', () => {
    const resolved = resolveGraphOptions({}, configuration());
    expect(resolved).toMatchObject({
      baseUrl: 'https://graph.microsoft.com',
      version: 'v1.0',
      scopes: ['User.Read'],
      requestAppToken: false,
      appScope: 'https://graph.microsoft.com/.default',
      timeoutMs: 30_000,
    });
    expect([...resolved.customHosts]).toEqual([]);
  });

  it('reads DownstreamApis:GraphAPI (any casing) and lets explicit options win', () => {
    const config = configuration({
      baseurl: 'https://graph.microsoft.us/beta',
      scopes: 'User.Read Mail.Read',
    });
    expect(resolveGraphOptions({}, config)).toMatchObject({
      baseUrl: 'https://graph.microsoft.us',
      version: 'beta',
      scopes: ['User.Read', 'Mail.Read'],
      appScope: 'https://graph.microsoft.us/.default',
    });
    expect(resolveGraphOptions({ scopes: ['Mail.Send'], requestAppToken: true }, config)).toMatchObject({
      scopes: ['Mail.Send'],
      requestAppToken: true,
    });
  });

  it('reads another section when configurationSection names it', () => {
    const config = configuration(
      { BaseUrl: 'https://graph.microsoft.com/beta', RequestAppToken: true },
      'Beta',
    );
    expect(resolveGraphOptions({ configurationSection: 'DownstreamApis:Beta' }, config)).toMatchObject({
      version: 'beta',
      requestAppToken: true,
    });
  });

  it('makes a non-Microsoft host a bare custom host (no port), so the Graph client still sends the token', () => {
    const resolved = resolveGraphOptions({ baseUrl: 'https://localhost:8443/v1.0' }, configuration());
    expect(resolved.baseUrl).toBe('https://localhost:8443');
    expect([...resolved.customHosts]).toEqual(['localhost']);
    expect(resolved.appScope).toBe('https://graph.microsoft.com/.default');
  });

  it.each([
    ['http://graph.microsoft.com/v1.0', /must be an https URL/],
    ['not a url', /must be an absolute URL/],
    ['https://graph.microsoft.com', /must end with the API version/],
    ['https://graph.microsoft.com/v1.0?x=1', /must not carry a query/],
  ])('refuses BaseUrl %s naming the key path', (baseUrl, message) => {
    const attempt = () => resolveGraphOptions({}, configuration({ BaseUrl: baseUrl }));
    expect(attempt).toThrow(InvalidConfigurationError);
    expect(attempt).toThrow(/^DownstreamApis:GraphAPI:BaseUrl /);
    expect(attempt).toThrow(message);
  });

  it('names the option, not the section, when the bad value was passed to forRoot', () => {
    expect(() => resolveGraphOptions({ scopes: [] }, configuration())).toThrow(
      /^IdentityWebGraphModule options\.scopes is empty/,
    );
    expect(() => resolveGraphOptions({ appScope: 'User.Read.All' }, configuration())).toThrow(
      /options\.appScope must be a resource's "\/\.default" scope/,
    );
    expect(() => resolveGraphOptions({ timeoutMs: 0 }, configuration())).toThrow(/options\.timeoutMs/);
  });

  it('refuses a RequestAppToken that is not a boolean', () => {
    expect(() => resolveGraphOptions({}, configuration({ RequestAppToken: 'yes' }))).toThrow(
      /^DownstreamApis:GraphAPI:RequestAppToken must be true or false/,
    );
  });
});
