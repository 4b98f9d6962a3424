import { getClaimsChallenge, parseWwwAuthenticate } from './www-authenticate';

const claimsJson = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
const claimsBase64 = Buffer.from(claimsJson).toString('base64');
const claimsBase64Url = Buffer.from(claimsJson).toString('base64url');

describe('parseWwwAuthenticate', () => {
  it('parses several challenges in one header, with empty and padded quoted values', () => {
    expect(
      parseWwwAuthenticate(
        `Bearer realm="", error="insufficient_claims", claims="${claimsBase64}", Basic realm="x"`,
      ),
    ).toEqual([
      { scheme: 'bearer', params: { realm: '', error: 'insufficient_claims', claims: claimsBase64 } },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('keeps commas, equals signs and escaped quotes inside quoted strings', () => {
    expect(
      parseWwwAuthenticate('Bearer error_description="a, b = c \\"quoted\\" d\\\\e", scope="openid profile"'),
    ).toEqual([
      { scheme: 'bearer', params: { error_description: 'a, b = c "quoted" d\\e', scope: 'openid profile' } },
    ]);
  });

  it('reads token68 challenges, padding included, followed by another challenge', () => {
    expect(parseWwwAuthenticate('Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag==, Bearer realm="api"')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'YIIBhgYGKwYBBQUCoIIBejCCAXag==' },
      { scheme: 'bearer', params: { realm: 'api' } },
    ]);
  });

  it('reads unquoted token values and unknown schemes', () => {
    expect(
      parseWwwAuthenticate('NewAuth realm=apps, type=1, title="Login to \\"apps\\"", Basic realm="simple"'),
    ).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
    ]);
  });

  it('treats scheme and parameter names case-insensitively', () => {
    expect(parseWwwAuthenticate('BEARER Error="invalid_token", REALM = "x"')).toEqual([
      { scheme: 'bearer', params: { error: 'invalid_token', realm: 'x' } },
    ]);
  });

  it('reads schemes without parameters', () => {
    expect(parseWwwAuthenticate('Negotiate, NTLM')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'ntlm', params: {} },
    ]);
  });

  it('keeps the first of a repeated parameter', () => {
    expect(parseWwwAuthenticate('Bearer error="a", error="b"')[0]?.params).toEqual({ error: 'a' });
  });

  it('parses several header lines given as an array', () => {
    expect(parseWwwAuthenticate(['Bearer realm="a"', 'Basic realm="b"']).map((c) => c.scheme)).toEqual([
      'bearer',
      'basic',
    ]);
  });

  it.each([
    ['', []],
    ['   ,, ,', []],
    ['"', []],
    ['=', []],
    ['Bearer realm="unterminated', [{ scheme: 'bearer', params: { realm: 'unterminated' } }]],
    ['Bearer realm="a" junk, error="x"', [{ scheme: 'bearer', params: { realm: 'a', error: 'x' } }]],
    ['@@@, Basic realm="b"', [{ scheme: 'basic', params: { realm: 'b' } }]],
    ['Bearer =, error="x"', [{ scheme: 'bearer', params: { error: 'x' } }]],
  ])('never throws on garbage: %j', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('returns nothing for missing headers', () => {
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
  });
});

describe('getClaimsChallenge', () => {
  const header = (claims: string) =>
    `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`;

  it('decodes base64 claims from a header string', () => {
    expect(getClaimsChallenge(header(claimsBase64))).toBe(claimsJson);
  });

  it('decodes base64url claims', () => {
    expect(getClaimsChallenge(header(claimsBase64Url))).toBe(claimsJson);
  });

  it('finds the header in a plain record, whatever its casing', () => {
    expect(getClaimsChallenge({ 'WWW-Authenticate': header(claimsBase64) })).toBe(claimsJson);
    expect(getClaimsChallenge({ 'www-authenticate': [header(claimsBase64)] })).toBe(claimsJson);
  });

  it('finds the header in a fetch Headers object', () => {
    expect(getClaimsChallenge(new Headers({ 'WWW-Authenticate': header(claimsBase64) }))).toBe(claimsJson);
  });

  it('finds the Bearer challenge after another scheme', () => {
    expect(getClaimsChallenge(`Basic realm="x", ${header(claimsBase64)}`)).toBe(claimsJson);
  });

  it.each([
    ['no header', undefined],
    ['another error', `Bearer error="invalid_token", claims="${claimsBase64}"`],
    ['no claims', 'Bearer error="insufficient_claims"'],
    ['another scheme', `Basic error="insufficient_claims", claims="${claimsBase64}"`],
    ['claims not base64', 'Bearer error="insufficient_claims", claims="not base64!"'],
    [
      'claims not JSON',
      `Bearer error="insufficient_claims", claims="${Buffer.from('hello').toString('base64')}"`,
    ],
    [
      'claims JSON but not an object',
      `Bearer error="insufficient_claims", claims="${Buffer.from('[1]').toString('base64')}"`,
    ],
    ['garbage', '"""'],
  ])('returns undefined for %s', (_name, value) => {
    expect(getClaimsChallenge(value)).toBeUndefined();
  });
});
