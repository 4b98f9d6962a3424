import { HttpModule, HttpService } from '@nestjs/axios';
import { Test } from '@nestjs/testing';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DownstreamApiService } from '../../src/downstream-api/downstream-api.service';
import { IdentityWebModule } from '../../src/identity-web.module';

/**
 * The app's own `HttpModule` (its defaults and interceptors) and the library's HTTP client live
 * side by side: the app's calls keep its configuration, the library's never pass through it.
 */
describe.each(['axios', 'undici'])('an app with its own HttpModule, the library over %s', (transport) => {
  let server: Server;
  let baseUrl: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('keeps the app’s defaults and interceptors for the app’s calls and away from the library’s', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HttpModule.register({ headers: { 'x-app-default': 'yes' } }),
        IdentityWebModule.forRoot({
          AzureAd: {
            Instance: 'https://login.microsoftonline.com/',
            TenantId: '7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53',
            ClientId: '3f9a2b1c-6d4e-4f8a-9b0c-1d2e3f4a5b6c',
            ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'not-used-here' }],
          },
          DownstreamApis: { Public: { BaseUrl: baseUrl } },
          IdentityWeb: {
            Http: { Transport: transport },
            Session: { Secret: 'a-long-enough-session-secret-for-the-tests-000' },
          },
        }),
      ],
    }).compile();
    try {
      const appHttp = moduleRef.get(HttpService);
      const intercepted: string[] = [];
      appHttp.axiosRef.interceptors.request.use((config) => {
        intercepted.push(String(config.url));
        config.headers.set('x-app-interceptor', 'yes');
        return config;
      });
      seen.length = 0;
      await appHttp.axiosRef.get(`${baseUrl}/app`);
      await moduleRef.get(DownstreamApiService).getForApp('Public', { relativePath: 'library' });
      expect(intercepted).toEqual([`${baseUrl}/app`]);
      expect(seen[0]).toMatchObject({ 'x-app-default': 'yes', 'x-app-interceptor': 'yes' });
      expect(seen[1]['x-app-default']).toBeUndefined();
      expect(seen[1]['x-app-interceptor']).toBeUndefined();
    } finally {
      await moduleRef.close();
    }
  });
});
