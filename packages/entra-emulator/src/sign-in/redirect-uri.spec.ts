import { redirectUriMatches } from './redirect-uri';

describe('redirectUriMatches', () => {
  it.each([
    ['http://localhost/signin-oidc', 'http://localhost:3000/signin-oidc', true],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb', true],
    ['https://localhost/signin-oidc', 'https://localhost/signin-oidc', true],
    ['https://localhost/signin-oidc', 'https://localhost:8443/signin-oidc', false],
    ['http://localhost/signin-oidc', 'http://localhost:3000/other', false],
    ['http://localhost/signin-oidc', 'https://localhost:3000/signin-oidc', false],
    ['http://localhost/signin-oidc', 'http://localhost.evil.example/signin-oidc', false],
    ['http://localhost/signin-oidc', 'http://localhost:3000/signin-oidc?x=1', false],
    ['https://app.example/cb', 'https://app.example/cb/', false],
    ['http://localhost/cb', 'not a url', false],
  ])('%s vs %s → %s', (registered, requested, expected) => {
    expect(redirectUriMatches(registered, requested)).toBe(expected);
  });
});
