import { connect } from 'node:tls';

import { DEFAULT_APPS } from '../src/index';
import { useEmulator } from '../src/testing';

interface Case {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** Expected `error` (Entra shape) or `error.code` (Graph shape); absent for HTML pages. */
  error?: string;
  aadsts?: number;
}

const web = DEFAULT_APPS.webApp;
const pub = DEFAULT_APPS.publicClient;
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const cc = `grant_type=client_credentials&client_id=${web.clientId}&client_secret=${web.clientSecret}`;

const cases: Case[] = [
  {
    name: 'token: empty body',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    status: 400,
    error: 'invalid_request',
    aadsts: 900144,
  },
  {
    name: 'token: JSON instead of a form',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: { 'content-type': 'application/json' },
    body: '{"grant_type":"client_credentials"}',
    status: 400,
    error: 'invalid_request',
    aadsts: 900144,
  },
  {
    name: 'token: unknown grant type',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: 'grant_type=password2',
    status: 400,
    error: 'unsupported_grant_type',
    aadsts: 70003,
  },
  {
    name: 'token: bad percent-encoding',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: 'grant_type=%ZZ%',
    status: 400,
    error: 'unsupported_grant_type',
  },
  {
    name: 'token: no client_id',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: 'grant_type=client_credentials&scope=x/.default',
    status: 400,
    error: 'invalid_request',
    aadsts: 900144,
  },
  {
    name: 'token: unknown client',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: 'grant_type=client_credentials&client_id=nope&client_secret=x&scope=api://todo-api/.default',
    status: 400,
    error: 'unauthorized_client',
    aadsts: 700016,
  },
  {
    name: 'token: no credential',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `grant_type=client_credentials&client_id=${web.clientId}&scope=api://todo-api/.default`,
    status: 401,
    error: 'invalid_client',
    aadsts: 7000218,
  },
  {
    name: 'token: public client asks for an app-only token without a credential',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `grant_type=client_credentials&client_id=${pub.clientId}&scope=https://graph.microsoft.com/.default`,
    status: 401,
    error: 'invalid_client',
    aadsts: 7000218,
  },
  {
    name: 'token: public client asks for on-behalf-of without a credential',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&requested_token_use=on_behalf_of&client_id=${pub.clientId}&assertion=a.b.c&scope=User.Read`,
    status: 401,
    error: 'invalid_client',
    aadsts: 7000218,
  },
  {
    name: 'token: garbage Basic header',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: { ...form, authorization: 'Basic %%%' },
    body: `grant_type=client_credentials&client_id=${web.clientId}&scope=api://todo-api/.default`,
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: garbage client assertion',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `grant_type=client_credentials&client_id=${web.clientId}&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=a.b.c&scope=api://todo-api/.default`,
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: claims not JSON',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `${cc}&scope=api://todo-api/.default&claims={oops`,
    status: 400,
    error: 'invalid_request',
    aadsts: 90100,
  },
  {
    name: 'token: unknown resource',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `${cc}&scope=api://nothing/.default`,
    status: 400,
    error: 'invalid_resource',
    aadsts: 500011,
  },
  {
    name: 'token: scope missing',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: cc,
    status: 400,
    error: 'invalid_request',
    aadsts: 900144,
  },
  {
    name: 'token: garbage authorization code',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `${cc.replace('client_credentials', 'authorization_code')}&code=zzz&redirect_uri=http://localhost/signin-oidc&scope=openid`,
    status: 400,
    error: 'invalid_grant',
  },
  {
    name: 'token: garbage refresh token',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `${cc.replace('client_credentials', 'refresh_token')}&refresh_token=zzz&scope=openid`,
    status: 400,
    error: 'invalid_grant',
  },
  {
    name: 'token: OBO with a non-JWT assertion',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `${cc.replace('client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer')}&requested_token_use=on_behalf_of&assertion=xyz&scope=User.Read`,
    status: 400,
    error: 'invalid_request',
    aadsts: 50027,
  },
  {
    name: 'token: body over 64 KiB',
    method: 'POST',
    path: '/T/oauth2/v2.0/token',
    headers: form,
    body: `grant_type=client_credentials&pad=${'x'.repeat(70_000)}`,
    status: 413,
    error: 'request_too_large',
  },
  { name: 'token: GET', path: '/T/oauth2/v2.0/token', status: 405, error: 'method_not_allowed' },
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

describe('malformed requests get an error in the right shape and never break the server', () => {
  const emu = useEmulator({ resetBeforeEach: false });

  it.each(cases)('$name → $status', async (c) => {
    const res = await fetch(emu().baseUrl + c.path.replace(/^\/T\//, `/${emu().tenantId}/`), {
      method: c.method ?? 'GET',
      headers: c.headers,
      body: c.body,
      redirect: 'manual',
    });
    expect(res.status).toBe(c.status);
    const text = await res.text();
    if (c.error === undefined) {
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(text).toMatch(/AADSTS\d+/);
      return;
    }
    const body = JSON.parse(text) as Record<string, unknown> & { error: unknown };
    if (typeof body.error === 'object') {
      expect(body.error).toMatchObject({
        code: c.error,
        message: expect.any(String),
        innerError: expect.any(Object),
      });
      return;
    }
    expect(body).toMatchObject({
      error: c.error,
      error_description: expect.stringMatching(/^AADSTS\d+: /),
      error_codes: c.aadsts ? [c.aadsts] : [expect.any(Number)],
      timestamp: expect.any(String),
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
    });
    // Entra's x-ms-request-id header is the body's trace_id, and the description repeats both ids.
    expect(res.headers.get('x-ms-request-id')).toBe(body.trace_id);
    expect(body.error_description).toContain(`\r\nTrace ID: ${String(body.trace_id)}\r\n`);
  });

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
