import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdpHttpClient, IdpTransportError, type NetworkObservation } from './idp-http.client';

describe('IdpHttpClient', () => {
  let server: Server;
  let base: string;
  let flakyDrops = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/flaky') && flakyDrops > 0) {
        flakyDrops--;
        req.socket.destroy(); // as a server closing an idle keep-alive connection does
        return;
      }
      if (req.url?.startsWith('/hang')) return; // never answers
      if (req.url === '/busy') {
        res.writeHead(503, { 'retry-after': '7' }).end('busy');
        return;
      }
      if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        return;
      }
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json', 'x-ms-request-id': 'r1' });
        res.end(JSON.stringify({ error: 'invalid_grant', echo: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns status, headers and JSON body of an answer MSAL can read (errors included)', async () => {
    const http = new IdpHttpClient(2_000);
    const observation: NetworkObservation = { requests: 0 };
    const response = await http
      .forOperation(observation)
      .sendPostRequestAsync<{ error: string; echo: string }>(`${base}/token`, { body: 'grant_type=x' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', echo: 'grant_type=x' });
    expect(response.headers['x-ms-request-id']).toBe('r1');
    expect(observation).toEqual({ requests: 1 });
    expect(http.posts).toBe(1);
  });

  it('gives up after the time-out', async () => {
    const http = new IdpHttpClient(50);
    const observation: NetworkObservation = { requests: 0 };
    await expect(http.forOperation(observation).sendGetRequestAsync(`${base}/hang?secret=x`)).rejects.toThrow(
      `GET ${base}/hang timed out after 50 ms`,
    );
    expect(observation.failure).toBeInstanceOf(IdpTransportError);
  });

  it('reports 5xx with Retry-After, and bodies that are not JSON', async () => {
    const http = new IdpHttpClient(2_000);
    const observation: NetworkObservation = { requests: 0 };
    const network = http.forOperation(observation);
    await expect(network.sendGetRequestAsync(`${base}/busy`)).rejects.toThrow(
      'answered 503 (Retry-After: 7)',
    );
    expect(observation.failure?.status).toBe(503);
    await expect(network.sendGetRequestAsync(`${base}/html`)).rejects.toThrow('not JSON');
  });

  it('retries once on a connection the server dropped, but never a code redemption', async () => {
    const http = new IdpHttpClient(2_000);
    const network = http.forOperation({ requests: 0 });
    flakyDrops = 1;
    await expect(
      network.sendPostRequestAsync(`${base}/flaky`, { body: 'grant_type=refresh_token' }),
    ).resolves.toHaveProperty('status', 400);
    flakyDrops = 1;
    await expect(
      network.sendPostRequestAsync(`${base}/flaky`, { body: 'grant_type=authorization_code&code=c' }),
    ).rejects.toThrow('failed');
    flakyDrops = 0;
  });

  it('reports a refused connection', async () => {
    const http = new IdpHttpClient(2_000);
    await expect(http.getJson('http://127.0.0.1:1/x')).rejects.toThrow(/GET http:\/\/127.0.0.1:1\/x failed/);
  });
});
