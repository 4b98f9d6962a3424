import { join } from 'node:path';
import { loadAppSettings, normalizeOptions } from 'nest-identity-web';

describe("the sample web app's appsettings.json", () => {
  it('loads with its comments, and the environment variables the tour sets override it', () => {
    const env = {
      AzureAd__Instance: 'https://localhost:9443/',
      DownstreamApis__GraphAPI__BaseUrl: 'https://localhost:9443/v1.0',
      DownstreamApis__TodoList__BaseUrl: 'http://localhost:5001',
      IdentityWeb__Session__Secret: 'a-test-session-secret-of-32-characters!!',
    };
    const warnings: string[] = [];
    const options = normalizeOptions(loadAppSettings({ directory: join(__dirname, '..'), env }), env, {
      warn: (message: string) => warnings.push(message),
    });
    expect(options.azureAd.authority).toBe('https://localhost:9443/7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53');
    expect(options.downstreamApis.GraphAPI!.baseUrl).toBe('https://localhost:9443/v1.0');
    expect(options.downstreamApis.TodoList!.scopes).toEqual(['api://todo-api/access_as_user']);
    expect(warnings.filter((w) => !w.includes('uses plain http'))).toEqual([]);
  });
});
