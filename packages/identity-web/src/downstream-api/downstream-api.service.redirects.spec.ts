import { Readable } from 'node:stream';
import { DownstreamApiRedirectError } from '../errors';
import type { Seen } from '../../test/downstream-api/support/echo-api';
import {
  describeDownstreamService,
  statusFor,
} from '../../test/downstream-api/support/downstream-service.fixture';

describeDownstreamService((ctx) => {
  describe('redirects, followed by the library', () => {
    const to = (status: number, location: string) => ({
      relativePath: 'redirect',
      queryParameters: { status: String(status), location },
    });

    it('keeps the Authorization header on the same origin, without asking for another token', async () => {
      const seen = await ctx.service.getForUser<Seen>('TodoList', to(302, '/base/echo'));
      expect(seen.url).toBe('/base/echo');
      expect(seen.headers.authorization).toBe('Bearer user-token');
      expect(ctx.headers.calls).toHaveLength(1);
    });

    it('drops the Authorization header on a GET redirected to another origin', async () => {
      const seen = await ctx.service.getForUser<Seen>('TodoList', to(302, `${ctx.other.baseUrl}/landing`));
      expect(seen.url).toBe('/landing');
      expect(ctx.other.seen[0].headers.authorization).toBeUndefined();
      expect(ctx.other.seen[0].headers['x-configured']).toBe('yes');
    });

    it('refuses a POST redirected to another origin unless AllowCrossOriginRedirects, naming the key', async () => {
      const err = await ctx.service
        .postForUser('TodoList', { title: 'milk' }, to(307, `${ctx.other.baseUrl}/elsewhere?sig=secret`))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownstreamApiRedirectError);
      expect(err).toMatchObject({ code: 'downstream_api_error', status: 307, body: { moved: true } });
      expect((err as Error).message).toContain('DownstreamApis:TodoList:AllowCrossOriginRedirects');
      expect((err as Error).message).not.toContain('secret');
      expect(statusFor(err)).toBe(502);
      expect(ctx.other.seen).toHaveLength(0);

      const seen = await ctx.service.postForUser<unknown, Seen>(
        'TodoList',
        { title: 'milk' },
        { ...to(307, `${ctx.other.baseUrl}/elsewhere`), allowCrossOriginRedirects: true },
      );
      expect(seen.method).toBe('POST');
      expect(JSON.parse(seen.body)).toEqual({ title: 'milk' });
      expect(ctx.other.seen[0].headers.authorization).toBeUndefined();
    });

    it('resends the body on 307 and turns a POST into a GET without body on 303', async () => {
      const kept = await ctx.service.postForUser<unknown, Seen>('TodoList', 'hello', to(307, '/base/echo'));
      expect([kept.method, kept.body, kept.headers.authorization]).toEqual([
        'POST',
        'hello',
        'Bearer user-token',
      ]);
      const seen = await ctx.service.postForUser<unknown, Seen>('TodoList', 'hello', to(303, '/base/echo'));
      expect([seen.method, seen.body, seen.headers['content-type']]).toEqual(['GET', '', undefined]);
    });

    it('refuses to resend a stream body', async () => {
      await expect(
        ctx.service.postForUser('TodoList', Readable.from(['x']), to(307, '/base/echo')),
      ).rejects.toThrow(/stream/);
    });

    it('stops a loop after MaxRedirects hops with an error that says so', async () => {
      const err = await ctx.service.getForUser('TodoList', { relativePath: 'loop' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownstreamApiRedirectError);
      expect((err as Error).message).toMatch(/more than 5 redirects.*DownstreamApis:TodoList:MaxRedirects/);
      expect(ctx.api.seen).toHaveLength(6);
      await ctx.service
        .getForUser('TodoList', { relativePath: 'loop', maxRedirects: 1 })
        .catch(() => undefined);
      expect(ctx.api.seen).toHaveLength(8);
    });

    it('returns the 3xx as it is with MaxRedirects 0', async () => {
      const response = await ctx.service.callApiForUser('TodoList', {
        ...to(302, '/base/echo'),
        maxRedirects: 0,
      });
      expect(response).toMatchObject({
        status: 302,
        headers: { location: '/base/echo' },
        body: { moved: true },
      });
      expect(ctx.api.seen).toHaveLength(1);
    });
  });
});
