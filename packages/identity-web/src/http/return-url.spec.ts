import { IdentityWebError } from '../errors';
import { assertSafeReturnUrl, isSafeReturnUrl, resolveReturnUrl } from './return-url';

const origin = 'https://app.example:8443';

describe('resolveReturnUrl', () => {
  it.each([
    ['/', '/'],
    ['/emails', '/emails'],
    ['/emails?folder=inbox&top=5', '/emails?folder=inbox&top=5'],
    ['/emails?folder=inbox#latest', '/emails?folder=inbox#latest'],
    ['/a/../b?x=%2F%2F', '/b?x=%2F%2F'],
    ['/search?q=//evil.example', '/search?q=//evil.example'],
    ['/path%20with%20spaces', '/path%20with%20spaces'],
    ['https://app.example:8443/emails?top=5', '/emails?top=5'],
    ['HTTPS://APP.EXAMPLE:8443/emails', '/emails'],
  ])('accepts %j as %j', (candidate, expected) => {
    expect(resolveReturnUrl(candidate, { origin })).toBe(expected);
    expect(isSafeReturnUrl(candidate, { origin })).toBe(true);
    expect(assertSafeReturnUrl(candidate, { origin })).toBe(expected);
  });

  it.each([
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/x'],
    ['slash backslash', '/\\evil.example'],
    ['double backslash', '\\\\evil'],
    ['backslash slash', '\\/evil.example'],
    ['encoded slashes, not rooted', '%2F%2Fevil.example'],
    ['encoded slashes after root', '/%2F%2Fevil.example'],
    ['encoded slash after root', '/%2Fevil.example'],
    ['encoded backslash', '/%5Cevil'],
    ['double-encoded slashes', '/%252F%252Fevil.example'],
    ['tab inside', '/\t/evil.example'],
    ['newline inside', '/\n/evil.example'],
    ['carriage return inside', '/\r/evil.example'],
    ['encoded tab', '/%09/evil.example'],
    ['NUL', '/a\u0000b'],
    ['leading space', ' /emails'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['javascript scheme, mixed case', 'JavaScript:alert(1)'],
    ['javascript scheme split by a tab', 'java\tscript:alert(1)'],
    ['data scheme', 'data:text/html,<script>alert(1)</script>'],
    ['other scheme', 'ftp://app.example:8443/x'],
    ['mailto', 'mailto:a@b.example'],
    ['other origin', 'https://evil.example/emails'],
    ['same host, other port', 'https://app.example/emails'],
    ['same host, other scheme', 'http://app.example:8443/emails'],
    ['user-info trick', 'https://app.example:8443@evil.example/'],
    ['user-info on the right host', 'https://user@app.example:8443/emails'],
    ['relative without root', 'emails'],
    ['query only', '?x=1'],
    ['fragment only', '#x'],
    ['empty', ''],
    ['malformed percent-encoding', '/%E0%A4%A'],
    ['too long', `/${'a'.repeat(2048)}`],
  ])('refuses %s', (_name, candidate) => {
    expect(resolveReturnUrl(candidate, { origin })).toBe('/');
    expect(resolveReturnUrl(candidate, { origin, fallback: '/home' })).toBe('/home');
    expect(isSafeReturnUrl(candidate, { origin })).toBe(false);
    expect(() => assertSafeReturnUrl(candidate, { origin })).toThrow(IdentityWebError);
  });

  it('refuses non-strings (a repeated query parameter arrives as an array)', () => {
    expect(resolveReturnUrl(['/a', '//evil.example'], { origin })).toBe('/');
    expect(resolveReturnUrl(undefined, { origin })).toBe('/');
    expect(resolveReturnUrl(42, { origin })).toBe('/');
  });

  it('accepts exactly 2048 characters', () => {
    const candidate = `/${'a'.repeat(2047)}`;
    expect(resolveReturnUrl(candidate, { origin })).toBe(candidate);
  });

  it('without an origin accepts paths only', () => {
    expect(resolveReturnUrl('/emails?top=5')).toBe('/emails?top=5');
    expect(resolveReturnUrl('https://app.example:8443/emails')).toBe('/');
  });

  it('accepts an origin given as a full URL', () => {
    expect(
      resolveReturnUrl('https://app.example:8443/x', { origin: 'https://app.example:8443/some/page' }),
    ).toBe('/x');
  });

  it('throws with code invalid_return_url and keeps the value out of the message', () => {
    let caught: unknown;
    try {
      assertSafeReturnUrl('https://evil.example/steal', { origin });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IdentityWebError);
    expect((caught as IdentityWebError).code).toBe('invalid_return_url');
    expect((caught as IdentityWebError).message).not.toContain('evil.example');
  });
});
