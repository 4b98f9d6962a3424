import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { ChallengeUserException, DownstreamApiError, DownstreamApiUnavailableError } from '../errors';
import {
  describeDownstreamService,
  statusFor,
} from '../../test/downstream-api/support/downstream-service.fixture';

// Error answers, claims challenges and retries, an unreachable or slow API, aborts.

describeDownstreamService((ctx) => {
  it('surfaces a non-2xx status with its headers and parsed body', async () => {
    const err = await ctx.service
      .getForUser('TodoList', { relativePath: '/status/404' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownstreamApiError);
    const error = err as DownstreamApiError;
    expect(error.status).toBe(404);
    expect(error.body).toEqual({ title: 'nope', status: 404 });
    expect(error.headers['content-type']).toBe('application/problem+json');
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/base\/status\/404 answered 404$/);
    expect(error.message).not.toContain('user-token');
  });

  it('callApiForUser returns non-2xx answers instead of throwing', async () => {
    const response = await ctx.service.callApiForUser('Anonymous', {
      relativePath: 'status/503',
      httpMethod: 'POST',
    });
    expect(response.status).toBe(503);
    expect(ctx.api.seen[0].method).toBe('POST');
  });

  it('answers a claims challenge once with a token for those claims', async () => {
    const body = await ctx.service.getForUser('TodoList', { relativePath: '/claims', queryParameters: {} });
    expect(body).toEqual({ ok: true });
    expect(ctx.headers.calls).toHaveLength(2);
    expect(JSON.parse(ctx.headers.calls[1].options.acquireTokenOptions!.claims!)).toEqual({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });
  });

  it('retries a 401 without a claims challenge once, asking for a fresh token (regression: revoked tokens kept failing)', async () => {
    const err = await ctx.service
      .getForUser('TodoList', { relativePath: '/status/401' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'downstream_api_error', status: 401 });
    expect(ctx.api.seen).toHaveLength(2);
    expect(ctx.headers.calls.map((c) => c.options.acquireTokenOptions?.forceRefresh)).toEqual([
      undefined,
      true,
    ]);
    expect(ctx.headers.calls[1].options.acquireTokenOptions?.claims).toBeUndefined();
  });

  it('does not retry a 401 without a token to replace, or with a stream body that cannot be sent twice', async () => {
    await ctx.service.callApiForUser('Anonymous', { relativePath: '/status/401' });
    await ctx.service.callApiForUser(
      'TodoList',
      { relativePath: '/status/401', httpMethod: 'POST' },
      Readable.from(['x']),
    );
    expect(ctx.api.seen).toHaveLength(2);
  });

  it('passes on, as it is, the ChallengeUserException of a retry whose claims need the user', async () => {
    ctx.headers.challengeOnClaims = true;
    const err = await ctx.service
      .getForUser('TodoList', { relativePath: '/claims' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChallengeUserException);
    expect((err as ChallengeUserException).claims).toContain('acrs');
    expect((err as ChallengeUserException).message).toBe('MFA needed');
  });

  it('reports an unreachable API without the request, so the token cannot reach a log', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await ctx.service
      .getForUser('TodoList', { baseUrl: `http://127.0.0.1:${port}` })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownstreamApiUnavailableError);
    expect(err).toMatchObject({ code: 'downstream_api_unavailable', networkCode: 'ECONNREFUSED' });
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain('user-token');
    expect(statusFor(err)).toBe(503);
  });

  it('gives up after TimeoutMs with an error the module answers 504', async () => {
    const err = await ctx.service
      .getForUser('TodoList', { relativePath: 'slow', timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownstreamApiUnavailableError);
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain('user-token');
    expect(statusFor(err)).toBe(504);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const call = ctx.service.getForUser('TodoList', { relativePath: 'slow', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({
      code: 'downstream_api_unavailable',
      networkCode: 'ABORT_ERR',
    });
  });
});
