import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpTransport } from '../options/http.section';
import { DownstreamTransports } from './downstream-transports';

describe.each(['axios', 'undici'] satisfies HttpTransport[])('the %s transport', (name) => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hi'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  });
  afterAll(() => server.close());

  const connections = () =>
    new Promise<number>((resolve, reject) =>
      server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
    );

  it('keeps its connection alive between calls and closes it when the module shuts down', async () => {
    const transports = new DownstreamTransports();
    const transport = transports.get(name);
    for (let i = 0; i < 5; i++) {
      const answer = await transport.send({
        method: 'GET',
        url,
        headers: {},
        body: undefined,
        timeoutMs: 5_000,
      });
      expect([answer.status, answer.body.toString()]).toEqual([200, 'hi']);
    }
    // Reused, not one per call (undici may open a second one while the first completes an answer).
    expect(await connections()).toBeGreaterThan(0);
    expect(await connections()).toBeLessThanOrEqual(2);
    await transports.onModuleDestroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await connections()).toBe(0);
  });
});
