/**
 * Builds a user's cache partition in MSAL's serialized shape, as MSAL itself writes it after a
 * sign-in, so tests and the benchmark can seed many signed-in users without signing each in.
 */
export interface SeededUser {
  /** `<oid>.<tid>`, lower-case. */
  homeAccountId: string;
  oid: string;
  tenantId: string;
  username: string;
  /** `host[:port]` of the authority. */
  environment: string;
}

export interface PartitionSeed {
  user: SeededUser;
  clientId: string;
  /** Scopes of the cached access token, space-separated as MSAL stores them. */
  target: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds since the epoch. */
  expiresOn: number;
  /** Seconds since the epoch. Default: an hour before `expiresOn`. */
  cachedAt?: number;
}

/** The seeded user number `i` of a tenant, with a deterministic object id. */
export function seededUser(i: number, tenantId: string, environment: string): SeededUser {
  const oid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  return {
    homeAccountId: `${oid}.${tenantId}`.toLowerCase(),
    oid,
    tenantId,
    username: `user${i}@seed.test`,
    environment,
  };
}

/** The partition JSON MSAL would have written for the seed (account, access and refresh token). */
export function userPartition(seed: PartitionSeed): string {
  const { user, clientId } = seed;
  const prefix = `${user.homeAccountId}-${user.environment}`;
  const cachedAt = seed.cachedAt ?? seed.expiresOn - 3600;
  const clientInfo = Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tenantId })).toString(
    'base64url',
  );
  const cache = {
    Account: {
      [`${prefix}-${user.tenantId}`]: {
        home_account_id: user.homeAccountId,
        environment: user.environment,
        realm: user.tenantId,
        local_account_id: user.oid,
        username: user.username,
        authority_type: 'MSSTS',
        client_info: clientInfo,
        tenantProfiles: [
          JSON.stringify({
            tenantId: user.tenantId,
            localAccountId: user.oid,
            username: user.username,
            isHomeTenant: true,
          }),
        ],
      },
    },
    IdToken: {},
    AccessToken: {
      [`${prefix}-accesstoken-${clientId}-${user.tenantId}-${seed.target}-`.toLowerCase()]: {
        home_account_id: user.homeAccountId,
        environment: user.environment,
        credential_type: 'AccessToken',
        client_id: clientId,
        secret: seed.accessToken,
        realm: user.tenantId,
        target: seed.target,
        cached_at: String(cachedAt),
        expires_on: String(seed.expiresOn),
        extended_expires_on: String(seed.expiresOn + 3600),
        token_type: 'Bearer',
      },
    },
    RefreshToken: {
      [`${prefix}-refreshtoken-${clientId}---`.toLowerCase()]: {
        home_account_id: user.homeAccountId,
        environment: user.environment,
        credential_type: 'RefreshToken',
        client_id: clientId,
        secret: seed.refreshToken,
      },
    },
    AppMetadata: {},
  };
  return JSON.stringify(cache);
}

/** A `SignedInUser` for a seeded user. */
export function signedInUserOf(user: SeededUser) {
  return {
    homeAccountId: user.homeAccountId,
    tenantId: user.tenantId,
    localAccountId: user.oid,
    username: user.username,
    environment: user.environment,
  };
}
