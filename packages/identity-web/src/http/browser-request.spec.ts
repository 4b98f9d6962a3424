import { isBrowserNavigation, requestOrigin } from './browser-request';

describe('isBrowserNavigation', () => {
  const html = 'text/html,application/xhtml+xml,*/*;q=0.8';

  it('is true for a browser page load', () => {
    expect(
      isBrowserNavigation({ method: 'GET', headers: { accept: html, 'sec-fetch-mode': 'navigate' } }),
    ).toBe(true);
    expect(isBrowserNavigation({ method: 'GET', headers: { accept: html } })).toBe(true);
  });

  it('is false for fetch/XHR calls, API clients and non-GET methods', () => {
    expect(isBrowserNavigation({ method: 'GET', headers: { accept: html, 'sec-fetch-mode': 'cors' } })).toBe(
      false,
    );
    expect(
      isBrowserNavigation({ method: 'GET', headers: { accept: html, 'x-requested-with': 'XMLHttpRequest' } }),
    ).toBe(false);
    expect(isBrowserNavigation({ method: 'GET', headers: { accept: 'application/json' } })).toBe(false);
    expect(
      isBrowserNavigation({ method: 'POST', headers: { accept: html, 'sec-fetch-mode': 'navigate' } }),
    ).toBe(false);
  });
});

describe('requestOrigin', () => {
  it('uses the protocol Express resolved and the Host header', () => {
    expect(requestOrigin({ protocol: 'https', headers: { host: 'app.example:8443' } })).toBe(
      'https://app.example:8443',
    );
  });
});
