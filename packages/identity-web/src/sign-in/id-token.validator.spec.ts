import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from 'jose';
import { IdentityWebError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { Authorities } from '../token-acquisition/authorities';
import { IdTokenValidator } from './id-token.validator';

const CLIENT_ID = '11111111-1111-1111-1111-111111111111';
const TENANT = '22222222-2222-2222-2222-222222222222';
const OTHER_TENANT = '33333333-3333-3333-3333-333333333333';
const ISSUER_TEMPLATE = 'https://login.example/{tenantid}/v2.0';
const NONCE = 'nonce-123';

describe('IdTokenValidator', () => {
  let server: Server;
  let jwksUri: string;
  let signingKey: CryptoKey;
  let attackerKey: CryptoKey;
  let publicJwk: object;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    attackerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', use: 'sig', alg: 'RS256' };
    publicJwk = jwk;
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function validator(
    azureAd: Partial<IdentityWebOptions['azureAd']> = {},
    issuer = ISSUER_TEMPLATE,
    uri?: string,
  ): IdTokenValidator {
    // The defaults the options schema fills in.
    const defaults = { clockSkewSeconds: 120, httpTimeoutMs: 10_000, allowedTenants: [] };
    const options = {
      azureAd: { clientId: CLIENT_ID, ...defaults, ...azureAd },
    } as unknown as IdentityWebOptions;
    const authorities = { metadata: async () => ({ issuer, jwks_uri: uri ?? jwksUri }) };
    return new IdTokenValidator(options, authorities as unknown as Authorities);
  }

  function claims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: `https://login.example/${TENANT}/v2.0`,
      aud: CLIENT_ID,
      tid: TENANT,
      sub: 'subject',
      nonce: NONCE,
      iat: now,
      nbf: now,
      exp: now + 3600,
      ...overrides,
    };
  }

  function sign(payload: JWTPayload, key: CryptoKey = signingKey, kid = 'key-1'): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  }

  async function refusal(promise: Promise<unknown>): Promise<IdentityWebError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IdentityWebError);
    return err as IdentityWebError;
  }

  it('accepts a token signed with the authority key, with the tenant filled into the issuer template', async () => {
    const result = await validator().validate(await sign(claims()), { nonce: NONCE });
    expect(result.tid).toBe(TENANT);
  });

  it('refuses a forged signature (another key, same key id)', async () => {
    const err = await refusal(validator().validate(await sign(claims(), attackerKey), { nonce: NONCE }));
    expect(err.code).toBe('sign_in_refused');
    expect(err.message).toMatch(/signature/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT(claims()).encode();
    const err = await refusal(validator().validate(token, { nonce: NONCE }));
    expect(err.code).toBe('sign_in_refused');
  });

  it('refuses HS256 even when the secret is the public key material', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'key-1' }).sign(secret);
    const err = await refusal(validator().validate(token, { nonce: NONCE }));
    expect(err.code).toBe('sign_in_refused');
    expect(err.message).toMatch(/algorithm/);
  });

  it('refuses a token issued to another app (audience)', async () => {
    const err = await refusal(
      validator().validate(await sign(claims({ aud: 'another-app' })), { nonce: NONCE }),
    );
    expect(err.message).toMatch(/"aud"/);
  });

  it('refuses several audiences when azp is not this app', async () => {
    const token = await sign(claims({ aud: [CLIENT_ID, 'another-app'], azp: 'another-app' }));
    const err = await refusal(validator().validate(token, { nonce: NONCE }));
    expect(err.message).toMatch(/azp/);
  });

  it('refuses an issuer that does not match the token tenant', async () => {
    const token = await sign(claims({ iss: `https://login.example/${OTHER_TENANT}/v2.0` }));
    const err = await refusal(validator().validate(token, { nonce: NONCE }));
    expect(err.message).toMatch(/issuer/);
  });

  it('refuses another identity provider as issuer', async () => {
    const token = await sign(claims({ iss: `https://evil.example/${TENANT}/v2.0` }));
    expect((await refusal(validator().validate(token, { nonce: NONCE }))).message).toMatch(/issuer/);
  });

  it('refuses a template issuer without a tid claim', async () => {
    const token = await sign(claims({ tid: undefined }));
    expect((await refusal(validator().validate(token, { nonce: NONCE }))).message).toMatch(/tid/);
  });

  it('compares a single-tenant issuer exactly', async () => {
    const fixed = validator({}, `https://login.example/${TENANT}/v2.0`);
    await expect(fixed.validate(await sign(claims()), { nonce: NONCE })).resolves.toBeDefined();
    const token = await sign(
      claims({ tid: OTHER_TENANT, iss: `https://login.example/${OTHER_TENANT}/v2.0` }),
    );
    expect((await refusal(fixed.validate(token, { nonce: NONCE }))).message).toMatch(/issuer/);
  });

  it('refuses a tenant outside allowedTenants and accepts one inside', async () => {
    const token = await sign(claims());
    const err = await refusal(
      validator({ allowedTenants: [OTHER_TENANT] }).validate(token, { nonce: NONCE }),
    );
    expect(err.message).toMatch(/tenant is not allowed/);
    await expect(
      validator({ allowedTenants: [TENANT.toUpperCase()] }).validate(token, { nonce: NONCE }),
    ).resolves.toBeDefined();
  });

  it('refuses an expired token beyond the clock skew, accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 600 }));
    expect((await refusal(validator().validate(expired, { nonce: NONCE }))).message).toMatch(/expired/);
    const withinSkew = await sign(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 30 }));
    await expect(validator().validate(withinSkew, { nonce: NONCE })).resolves.toBeDefined();
    const err = await refusal(validator({ clockSkewSeconds: 0 }).validate(withinSkew, { nonce: NONCE }));
    expect(err.message).toMatch(/expired/);
  });

  it('refuses a token not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign(claims({ nbf: now + 3600, iat: now + 3600 }));
    expect((await refusal(validator().validate(token, { nonce: NONCE }))).code).toBe('sign_in_refused');
  });

  it('refuses a nonce mismatch and a missing nonce', async () => {
    const token = await sign(claims());
    expect((await refusal(validator().validate(token, { nonce: 'other' }))).message).toMatch(/nonce/);
    const noNonce = await sign(claims({ nonce: undefined }));
    expect((await refusal(validator().validate(noNonce, { nonce: NONCE }))).message).toMatch(/nonce/);
  });

  it('refuses garbage without echoing it', async () => {
    const err = await refusal(validator().validate('not.a.token-secret', { nonce: NONCE }));
    expect(err.code).toBe('sign_in_refused');
    expect(err.message).not.toContain('token-secret');
  });

  it('never puts the token in the error message', async () => {
    const token = await sign(claims({ aud: 'another-app' }));
    const err = await refusal(validator().validate(token, { nonce: NONCE }));
    expect(err.message).not.toContain(token.split('.')[1]);
  });

  it('reports unreachable signing keys as idp_unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const v = validator({}, ISSUER_TEMPLATE, `http://127.0.0.1:${port}/keys`);
    const err = await refusal(v.validate(await sign(claims()), { nonce: NONCE }));
    expect(err.code).toBe('idp_unavailable');
  });
});
