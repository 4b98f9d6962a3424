import { connect } from 'node:tls';

import { describeMalformedRequests, type MalformedRequest } from './support/malformed-request';

// The token endpoint's cases are in malformed-token-requests.spec.ts.
const form = { 'content-type': 'application/x-www-form-urlencoded' };

const cases: MalformedRequest[] = [
  { name: 'unknown path', path: '/nothing/here', status: 404, error: 'not_found' },
  {
    name: 'discovery: unknown tenant',
    path: '/no-such-tenant/v2.0/.well-known/openid-configuration',
    status: 400,
    error: 'invalid_request',
    aadsts: 90002,
  },
  {
    name: 'discovery: broken percent-encoding in the tenant',
    path: '/%E0%A4%A/v2.0/.well-known/openid-configuration',
    status: 400,
    error: 'invalid_request',
    aadsts: 90002,
  },
  {
    name: 'discovery: unknown user flow',
    path: '/T/B2C_1_nope/v2.0/.well-known/openid-configuration',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'authorize: no client_id (error page)',
    path: '/T/oauth2/v2.0/authorize?response_type=code',
    status: 400,
  },
  {
    name: 'authorize: unknown client (error page)',
    path: '/T/oauth2/v2.0/authorize?client_id=nope&response_type=code',
    status: 400,
  },
  {
    name: 'sign-in: unknown transaction',
    method: 'POST',
    path: '/_signin/login',
    headers: form,
    body: 'tx=nope&username=a&password=b',
    status: 400,
  },
  { name: 'logout: unknown tenant', path: '/nope/oauth2/v2.0/logout', status: 400, error: 'invalid_request' },
  { name: 'graph: no token', path: '/v1.0/me', status: 401, error: 'InvalidAuthenticationToken' },
  {
    name: 'graph: garbage token',
    path: '/v1.0/me',
    headers: { authorization: 'Bearer a.b.c' },
    status: 401,
    error: 'InvalidAuthenticationToken',
  },
  {
    name: 'graph: unknown segment',
    path: '/v1.0/me/nothing',
    headers: { authorization: 'Bearer x' },
    status: 400,
    error: 'BadRequest',
  },
  {
    name: 'control API: off by default',
    method: 'POST',
    path: '/_emulator/reset',
    status: 404,
    error: 'not_found',
  },
];

describeMalformedRequests(cases, (emu) => {
  it('treats a client that hangs up mid-body as gone: no crash log, no answer, server stays up', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: emu().port, servername: 'localhost' }, () => {
          socket.write(
            `POST /${emu().tenantId}/oauth2/v2.0/token HTTP/1.1\r\nHost: localhost\r\n` +
              'content-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\ngrant_type=cli',
            () => socket.destroy(),
          );
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      // A fresh connection's TLS handshake takes several turns of the server's event loop, by
      // which time it has seen the first connection close.
      const res = await fetch(`${emu().authority}/v2.0/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it('answers bytes that are not HTTP with 400 and stays up', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: emu().port, servername: 'localhost' }, () => {
        socket.write('\u0000\u0001garbage that is not HTTP\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const res = await fetch(`${emu().authority}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
  });
});
