import { callerPage } from './caller-page';

const origin = 'https://app.example';
const options = { origin, fallback: '/home' };
const NAVIGATE = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };
const FETCH = { accept: 'application/json', 'sec-fetch-mode': 'cors' };

describe('callerPage', () => {
  it("answers a page load's own path and query, whatever its Referer", () => {
    const req = {
      method: 'GET',
      originalUrl: '/emails?top=5',
      headers: { ...NAVIGATE, referer: `${origin}/x` },
    };
    expect(callerPage(req, options)).toBe('/emails?top=5');
  });

  it('answers the page a fetch states, else its same-origin Referer, else the URL it called', () => {
    const call = (headers: Record<string, string>) =>
      callerPage({ method: 'GET', originalUrl: '/api/emails', headers: { ...FETCH, ...headers } }, options);
    expect(call({ 'x-return-url': '/emails#top', referer: `${origin}/other` })).toBe('/emails#top');
    expect(call({ referer: `${origin}/emails?tab=2` })).toBe('/emails?tab=2');
    expect(call({ 'x-return-url': '//evil.example', referer: 'https://evil.example/' })).toBe('/api/emails');
  });

  it('never answers the URL of a form post: its page, else the fallback', () => {
    const post = (headers: Record<string, string>) =>
      callerPage({ method: 'POST', originalUrl: '/send', headers: { ...NAVIGATE, ...headers } }, options);
    expect(post({ referer: `${origin}/compose` })).toBe('/compose');
    expect(post({ referer: 'https://evil.example/compose' })).toBe('/home');
    expect(post({})).toBe('/home');
  });
});
