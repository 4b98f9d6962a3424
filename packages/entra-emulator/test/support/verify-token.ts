import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

import type { RunningEmulator } from '../../src/index';

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Verifies a token's signature against the emulator's JWKS (found through discovery), and its
 * issuer and audience.
 */
export async function verifyToken(
  emu: RunningEmulator,
  token: string,
  expected: { issuer: string; audience: string },
): Promise<JWTPayload & Record<string, unknown>> {
  const discovery = (await (
    await fetch(`${emu.authority}/v2.0/.well-known/openid-configuration`)
  ).json()) as {
    jwks_uri: string;
  };
  let jwks = keySets.get(discovery.jwks_uri);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    keySets.set(discovery.jwks_uri, jwks);
  }
  const { payload } = await jwtVerify(token, jwks, {
    issuer: expected.issuer,
    audience: expected.audience,
    algorithms: ['RS256'],
  });
  return payload as JWTPayload & Record<string, unknown>;
}
