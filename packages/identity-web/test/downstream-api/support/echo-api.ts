import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the echo API saw of a request. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A running echo API: its server, its URL and every request it saw. */
export interface EchoApi {
  server: Server;
  baseUrl: string;
  seen: Seen[];
}

/** A real local API: echoes requests as JSON, or answers what `/status/<code>` and friends ask for. */
export async function startEchoApi(): Promise<EchoApi> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    const url = new URL(req.url!, 'http://x');
    const path = url.pathname.replace(/^\/base/, '');
    if (path === '/redirect') {
      // /redirect?status=307&location=...: the redirect asked for.
      res.writeHead(Number(url.searchParams.get('status')), {
        location: url.searchParams.get('location')!,
        'content-type': 'application/json',
      });
      res.end('{"moved":true}');
    } else if (path === '/loop') {
      res
        .writeHead(302, { location: '/base/loop', 'content-type': 'application/json' })
        .end('{"again":true}');
    } else if (path === '/slow') {
      setTimeout(() => res.writeHead(200).end('late'), 400);
    } else if (path.startsWith('/status/')) {
      const status = Number(path.split('/')[2]);
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'nope', status }));
    } else if (path === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
    } else if (path === '/binary') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([137, 80, 78, 71]));
    } else if (path === '/empty') {
      res.writeHead(204).end();
    } else if (path === '/claims') {
      // Accepts only a token obtained with the claims it asked for.
      if (req.headers.authorization === 'Bearer with-claims') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else {
        const claims = Buffer.from('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}').toString(
          'base64',
        );
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="", authorization_uri="https://login.example/authorize", error="insufficient_claims", claims="${claims}"`,
        });
        res.end();
      }
    } else {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(entry));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
