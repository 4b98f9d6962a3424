import { DownstreamApiRedirectError } from '../errors';
import type { DownstreamTransport, TransportRequest, TransportResponse } from './downstream-transport';
import { sendFollowingRedirects, type RedirectPolicy } from './redirects';

/** Answers each request with the next scripted response, recording what it was sent. */
class ScriptedTransport implements DownstreamTransport {
  sent: TransportRequest[] = [];
  constructor(private readonly answers: TransportResponse[]) {}
  send(request: TransportRequest): Promise<TransportResponse> {
    this.sent.push(request);
    return Promise.resolve(this.answers.shift()!);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const redirect = (location: string, status = 302): TransportResponse => ({
  status,
  headers: { location },
  body: Buffer.alloc(0),
});
const ok: TransportResponse = { status: 200, headers: {}, body: Buffer.from('ok') };
const policy: RedirectPolicy = { maxRedirects: 5, allowCrossOrigin: false, keyPath: 'DownstreamApis:Api' };
const request: TransportRequest = {
  method: 'GET',
  url: 'https://api.example/v1/items?x=1#frag',
  headers: { authorization: 'Bearer t', cookie: 'c=1', 'x-custom': 'kept' },
  body: undefined,
  timeoutMs: 1000,
};

describe('sendFollowingRedirects', () => {
  it('resolves a relative Location against the URL that answered, without the fragment', async () => {
    const transport = new ScriptedTransport([redirect('../other#top'), ok]);
    const { response, sameOrigin } = await sendFollowingRedirects(
      transport,
      request,
      policy,
      () => undefined,
    );
    expect(response).toBe(ok);
    expect(sameOrigin).toBe(true);
    expect(transport.sent[1].url).toBe('https://api.example/other');
    expect(transport.sent[1].headers.authorization).toBe('Bearer t');
  });

  it('sends none of the credentials to another origin, and does not give them back on the way home', async () => {
    const transport = new ScriptedTransport([
      redirect('https://cdn.example/a'),
      redirect('https://api.example/back'),
      ok,
    ]);
    const { sameOrigin } = await sendFollowingRedirects(transport, request, policy, () => undefined);
    expect(sameOrigin).toBe(false);
    for (const sent of transport.sent.slice(1)) {
      expect(sent.headers).toEqual({ 'x-custom': 'kept' });
    }
  });

  it.each([
    ['http://api.example/v1/items', /from https to http/],
    ['ftp://api.example/file', /ftp: URL is not followed/],
    ['http://[not a url', /not a URL/],
  ])('refuses a redirect to %s', async (location, reason) => {
    const transport = new ScriptedTransport([redirect(location), ok]);
    const err = await sendFollowingRedirects(transport, request, policy, () => 'body').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DownstreamApiRedirectError);
    expect(err).toMatchObject({ status: 302, body: 'body' });
    expect((err as Error).message).toMatch(reason);
    expect(transport.sent).toHaveLength(1);
  });

  it('keeps HEAD a HEAD on 303 and a PUT a PUT on 301', async () => {
    const head = new ScriptedTransport([redirect('/h', 303), ok]);
    await sendFollowingRedirects(head, { ...request, method: 'HEAD' }, policy, () => undefined);
    expect(head.sent[1].method).toBe('HEAD');
    const put = new ScriptedTransport([redirect('/p', 301), ok]);
    await sendFollowingRedirects(put, { ...request, method: 'PUT', body: 'b' }, policy, () => undefined);
    expect([put.sent[1].method, put.sent[1].body]).toEqual(['PUT', 'b']);
  });
});
