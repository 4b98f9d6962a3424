import { base, normalize, problems, withAzureAd } from '../../test/support/normalize-options';

describe('empty values where a URL or a secret is expected (regression: started silently on defaults)', () => {
  it.each(['Instance', 'Authority', 'RedirectUri'])('refuses AzureAd:%s: "" naming the key', (key) => {
    expect(problems(withAzureAd({ [key]: '' }))).toContainEqual(
      expect.stringMatching(new RegExp(`^AzureAd:${key} is empty`)),
    );
  });

  it('refuses an empty DownstreamApis:<name>:BaseUrl naming the key', () => {
    const input = { ...base(), DownstreamApis: { TodoList: { BaseUrl: ' ', Scopes: ['api://todo/x'] } } };
    expect(problems(input)).toContainEqual(
      expect.stringMatching(/^DownstreamApis:TodoList:BaseUrl is empty/),
    );
  });

  it('names AzureAd:ClientSecret, the key written, when it is empty and a credential is needed', () => {
    const input = {
      ...withAzureAd({ ClientCredentials: undefined, ClientSecret: '' }),
      DownstreamApis: { TodoList: { BaseUrl: 'https://localhost:5001', Scopes: ['api://todo/x'] } },
    };
    const lines = problems(input);
    expect(lines).toContainEqual(expect.stringMatching(/^AzureAd:ClientSecret is empty/));
    expect(lines.join('\n')).not.toMatch(/AzureAd:ClientCredentials is required/);
  });

  it('still starts without a secret when none is needed, an empty one included (sign-in only)', () => {
    expect(() => normalize(withAzureAd({ ClientCredentials: undefined, ClientSecret: '' }))).not.toThrow();
  });
});
