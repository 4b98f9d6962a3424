import { createConsentFetch } from './consent-fetch';

/** The page the wrapper runs on, as `location` describes it; `assigned` records where it was sent. */
function onPage(href: string): { assigned: string[] } {
  const url = new URL(href);
  const assigned: string[] = [];
  Object.assign(globalThis, {
    location: {
      href: url.href,
      origin: url.origin,
      pathname: url.pathname,
      search: url.search,
      hash: url.hash,
      assign: (to: string) => assigned.push(to),
    },
  });
  return { assigned };
}

/** A fetch that answers `response` and records what it was asked. */
function answering(response: () => Response) {
  const calls: Array<{ input: RequestInfo | URL; headers: Headers }> = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ input, headers: new Headers(init?.headers) });
    return response();
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createConsentFetch', () => {
  afterEach(() => {
    delete (globalThis as { location?: unknown }).location;
  });

  it('tells same-origin calls which page is calling, and no other site', async () => {
    onPage('https://app.example/emails?tab=2#top');
    const { fetch, calls } = answering(() => json(200, {}));
    const api = createConsentFetch({ fetch });
    await api('/api/emails', { headers: { accept: 'application/json' } });
    await api('https://other.example/api');
    expect(calls[0].headers.get('x-return-url')).toBe('/emails?tab=2#top');
    expect(calls[0].headers.get('accept')).toBe('application/json');
    expect(calls[1].headers.get('x-return-url')).toBeNull();
  });

  it('sends the page to challengeUrl or signInUrl and leaves the call pending', async () => {
    const { assigned } = onPage('https://app.example/emails');
    for (const body of [
      { challengeUrl: '/account/challenge?x=1' },
      { signInUrl: '/account/signin?returnUrl=%2F' },
    ]) {
      const api = createConsentFetch({ fetch: answering(() => json(401, body)).fetch });
      let settled = false;
      const before = assigned.length;
      void api('/api/emails').finally(() => (settled = true));
      // Reading the body takes a few turns of the event loop; then the page is sent on.
      for (let turn = 0; turn < 200 && assigned.length === before; turn++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(settled).toBe(false);
    }
    expect(assigned).toEqual(['/account/challenge?x=1', '/account/signin?returnUrl=%2F']);
  });

  it('hands the URL to onChallenge instead, and returns the 401', async () => {
    const { assigned } = onPage('https://app.example/emails');
    const seen: string[] = [];
    const api = createConsentFetch({
      fetch: answering(() => json(401, { challengeUrl: '/account/challenge' })).fetch,
      onChallenge: (url) => seen.push(url),
    });
    expect((await api('/api/emails')).status).toBe(401);
    expect(seen).toEqual(['/account/challenge']);
    expect(assigned).toEqual([]);
  });

  it('returns other answers as they are: never follows a URL to another site or a non-JSON 401', async () => {
    const { assigned } = onPage('https://app.example/emails');
    const bodies = [
      json(401, { challengeUrl: '//evil.example/x' }),
      json(401, { challengeUrl: 'https://evil.example/x' }),
      json(401, { challengeUrl: '/\\evil.example' }),
      new Response('no', { status: 401 }),
      json(403, { challengeUrl: '/account/challenge' }),
    ];
    for (const body of bodies) {
      const response = await createConsentFetch({ fetch: async () => body })('/api/x');
      expect(response).toBe(body);
    }
    expect(assigned).toEqual([]);
  });
});
