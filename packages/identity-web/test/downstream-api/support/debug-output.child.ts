/**
 * Run in a child process by `debug-output.spec.ts`, with `DEBUG=*` and `NODE_DEBUG` set: sends
 * calls bearing the token in `IW_TOKEN` through the transport named in argv (`axios`, `undici`, or
 * `plain-axios`, axios as apps use it, the control) to local origins over http and https, through same-origin and
 * cross-origin redirects, a JSON post and a 401 retry, then prints `done`.
 */
import axios from 'axios';
import { ensureKeyMaterial } from 'entra-emulator';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AuthorizationHeaderProvider } from '../../../src/downstream-api/authorization-header.provider';
import { DownstreamApiService } from '../../../src/downstream-api/downstream-api.service';
import { DownstreamTransports } from '../../../src/downstream-api/downstream-transports';
import type { IdentityWebOptions } from '../../../src/options/identity-web.options';

const token = process.env.IW_TOKEN!;
const transport = process.argv[2];

async function listen(server: Server, scheme: string): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `${scheme}://localhost:${(server.address() as AddressInfo).port}`;
}

async function main(): Promise<void> {
  // https with the emulator's localhost certificate, which the `exec` wrapper's CA bundle trusts.
  const keys = await ensureKeyMaterial();
  const tls = { cert: keys.serverCertificatePem, key: keys.serverPrivateKeyPem };
  let elsewhere = '';
  const refused = new Set<string>();
  const home = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const port = String(req.socket.localPort);
    if (req.url === '/same') res.writeHead(302, { location: '/landing' }).end();
    else if (req.url === '/cross') res.writeHead(302, { location: `${elsewhere}/landing` }).end();
    else if (req.url === '/refuse' && !refused.has(port)) {
      refused.add(port);
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  const servers = [createServer(home), createHttpsServer(tls, home)];
  const homes = [await listen(servers[0], 'http'), await listen(servers[1] as unknown as Server, 'https')];
  const other = createHttpsServer(tls, (_req, res) => res.writeHead(200).end('elsewhere'));
  elsewhere = await listen(other as unknown as Server, 'https');

  for (const baseUrl of homes) {
    if (transport === 'plain-axios') {
      await axios.get(`${baseUrl}/same`, { headers: { authorization: `Bearer ${token}` } });
      continue;
    }
    const options = {
      downstreamApis: { Api: { baseUrl, scopes: ['api://x/access_as_user'] } },
      http: { transport, maxRedirects: 5 },
    } as unknown as IdentityWebOptions;
    const headers = { createAuthorizationHeader: () => Promise.resolve(`Bearer ${token}`) };
    const transports = new DownstreamTransports();
    const api = new DownstreamApiService(
      options,
      headers as unknown as AuthorizationHeaderProvider,
      transports,
    );
    await api.getForUser('Api', { relativePath: 'same' });
    await api.getForUser('Api', { relativePath: 'cross' });
    await api.postForUser('Api', { title: 'milk' }, { relativePath: 'items' });
    await api.getForUser('Api', { relativePath: 'refuse' });
    await transports.close();
  }
  for (const server of [...servers, other]) server.close();
  process.stdout.write('done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
