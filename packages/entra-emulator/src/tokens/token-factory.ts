import { randomBytes } from 'node:crypto';

import type { App, User } from '../directory/directory.types';
import { guidFrom } from '../directory/stable-guid';
import { encodeAio, type SignInEvidence } from './aio-claim';
import type { SigningKey } from './jwt';
import { pairwiseSubject } from './pairwise-subject';

/** Issuer URLs and lifetimes the factory needs. */
export interface TokenFactoryConfig {
  /** `https://localhost:<port>`. */
  baseUrl: () => string;
  accessTokenLifetimeSeconds: number;
  idTokenLifetimeSeconds: number;
}

/** How the client authenticated: `0` public, `1` secret, `2` certificate (Entra's `azpacr`/`appidacr`). */
export type ClientAuthMethod = '0' | '1' | '2';

/** A delegated (user) access token request. */
export interface UserAccessTokenInput {
  user: User;
  tenantId: string;
  client: App;
  clientAuth: ClientAuthMethod;
  resource: App;
  /** Scope names for `scp`. */
  scopes: string[];
  amr: string[];
  authTime: number;
  /** Client capabilities (`cp1`) asked for in `claims`. */
  clientCapabilities?: string[];
  flow?: string;
}

/**
 * Builds and signs ID tokens and access tokens in Entra ID's shapes: v2 for APIs that accept
 * them, v1 (`https://sts.windows.net/{tid}/`, `appid`, `amr`) for the others (Microsoft Graph,
 * Azure Storage, and custom APIs whose `accessTokenVersion` is unset); user-flow tokens in B2C's.
 *
 * @example
 * ```ts
 * const token = await factory.appAccessToken({ tenantId, client, clientAuth: '1', resource, roles: ['Todo.ReadWrite.All'] });
 * ```
 */
export class TokenFactory {
  constructor(
    private readonly key: SigningKey,
    private readonly config: TokenFactoryConfig,
  ) {}

  /**
   * The v2 issuer of a tenant: `https://localhost:<port>/{tid}/v2.0`; in a user flow B2C's,
   * which ends with a slash (`https://<tenant>.b2clogin.com/{tid}/v2.0/`).
   */
  issuer(tenantId: string, flow?: string): string {
    return `${this.config.baseUrl()}/${tenantId}/v2.0${flow ? '/' : ''}`;
  }

  /** The v1 issuer Entra uses for Graph and Storage tokens. */
  v1Issuer(tenantId: string): string {
    return `https://sts.windows.net/${tenantId}/`;
  }

  get accessTokenLifetime(): number {
    return this.config.accessTokenLifetimeSeconds;
  }

  /** An ID token (v2) for a client. */
  idToken(input: {
    user: User;
    tenantId: string;
    client: App;
    nonce?: string;
    amr: string[];
    authTime: number;
    sessionId: string;
    flow?: string;
  }): Promise<string> {
    const now = nowSeconds();
    const { user, tenantId } = input;
    return this.key.sign({
      ver: '2.0',
      iss: this.issuer(tenantId, input.flow),
      aud: input.client.clientId,
      iat: now,
      nbf: now,
      exp: now + this.config.idTokenLifetimeSeconds,
      auth_time: input.authTime,
      tid: tenantId,
      oid: user.oid,
      // B2C's sub is the object id; Entra's is pairwise.
      sub: input.flow ? user.oid : pairwiseSubject(user, input.client.clientId),
      name: user.displayName,
      preferred_username: user.username,
      email: user.username,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      amr: input.amr,
      sid: input.sessionId,
      login_hint: Buffer.from(JSON.stringify({ oid: user.oid, tid: tenantId, upn: user.username })).toString(
        'base64url',
      ),
      ...(input.flow ? { tfp: input.flow, acr: input.flow.toLowerCase() } : {}),
      ...(user.tenantId !== tenantId ? { idp: `https://sts.windows.net/${user.tenantId}/` } : {}),
      uti: uti(),
      rh: '0.emulator',
      aio: encodeAio(),
    });
  }

  /** A delegated access token for a user. */
  userAccessToken(input: UserAccessTokenInput): Promise<string> {
    const { user, resource } = input;
    const roles = rolesOf(user, resource);
    return this.accessToken(input, {
      v1: {
        acr: '1',
        given_name: user.givenName,
        family_name: user.surname,
        upn: user.username,
        unique_name: user.username,
        // v1 access tokens say how the user signed in; v2 ones do not (the emulator keeps it in aio).
        amr: input.amr,
      },
      v2: { preferred_username: user.username },
      claims: {
        oid: user.oid,
        sub: pairwiseSubject(user, resource.clientId),
        name: user.displayName,
        scp: input.scopes.join(' '),
        ...(roles.length ? { roles } : {}),
        idtyp: 'user',
        ...(input.clientCapabilities?.length ? { xms_cc: input.clientCapabilities } : {}),
        ...(input.flow ? { tfp: input.flow } : {}),
      },
      evidence: { amr: input.amr, authTime: input.authTime },
      flow: input.flow,
    });
  }

  /** An app-only access token (client credentials). */
  appAccessToken(input: {
    tenantId: string;
    client: App;
    clientAuth: ClientAuthMethod;
    resource: App;
    roles: string[];
  }): Promise<string> {
    const servicePrincipal = guidFrom(`sp:${input.tenantId}:${input.client.clientId}`);
    return this.accessToken(input, {
      claims: {
        oid: servicePrincipal,
        sub: servicePrincipal,
        ...(input.roles.length ? { roles: input.roles } : {}),
        idtyp: 'app',
      },
    });
  }

  /**
   * Signs an access token in the shape its resource accepts: v1 (`sts.windows.net` issuer, `appid`,
   * audience the resource URI) or v2 (`azp`, audience the client id), around the caller's claims.
   */
  private accessToken(
    input: { tenantId: string; client: App; clientAuth: ClientAuthMethod; resource: App },
    shape: {
      v1?: Record<string, unknown>;
      v2?: Record<string, unknown>;
      claims: Record<string, unknown>;
      evidence?: SignInEvidence;
      flow?: string;
    },
  ): Promise<string> {
    const now = nowSeconds();
    const { tenantId, client, resource } = input;
    const common = {
      iat: now,
      nbf: now,
      exp: now + this.config.accessTokenLifetimeSeconds,
      tid: tenantId,
      ...shape.claims,
      uti: uti(),
      rh: '0.emulator',
      aio: encodeAio(shape.evidence),
    };
    if (resource.accessTokenVersion === 1) {
      return this.key.sign(
        {
          ver: '1.0',
          aud: resource.identifierUris[0] ?? resource.clientId,
          iss: this.v1Issuer(tenantId),
          appid: client.clientId,
          appidacr: input.clientAuth,
          app_displayname: client.displayName,
          ...shape.v1,
          ...common,
        },
        'v1',
      );
    }
    return this.key.sign({
      ver: '2.0',
      aud: resource.clientId,
      iss: this.issuer(tenantId, shape.flow),
      azp: client.clientId,
      azpacr: input.clientAuth,
      ...shape.v2,
      ...common,
    });
  }
}

/** Epoch seconds now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function rolesOf(user: User, resource: App): string[] {
  const keys = [resource.clientId, ...resource.identifierUris].map((k) => k.toLowerCase());
  return Object.entries(user.appRoles)
    .filter(([key]) => keys.includes(key.toLowerCase().replace(/\/+$/, '')))
    .flatMap(([, roles]) => roles);
}

function uti(): string {
  return randomBytes(16).toString('base64url');
}
