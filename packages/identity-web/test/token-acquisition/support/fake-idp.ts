import type { NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { IdentityWebOptions } from '../../../src/options/identity-web.options';
import { normalizeOptions } from '../../../src/options/normalize-options';
import {
  createTokenAcquisition,
  type TokenAcquisitionParts,
} from '../../../src/token-acquisition/create-token-acquisition';
import {
  IdpHttpClient,
  IdpTransportError,
  type NetworkObservation,
} from '../../../src/token-acquisition/idp-http.client';
import { TokenAcquisitionService } from '../../../src/token-acquisition/token-acquisition.service';
import { HotTokenIndex } from '../../../src/token-cache/hot-token.index';
import type { TokenCacheStore } from '../../../src/token-cache/token-cache.store';
import { seededUser } from './msal-partition';

export const HOST = 'localhost:9443';
export const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const AUTHORITY = `https://${HOST}/${TENANT}`;
export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const SCOPE = 'api://todo/access_as_user';
export const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

type TokenAnswer = { status: number; body: Record<string, unknown> } | 'unreachable';

/** A fake identity provider at the network-module level: MSAL itself runs for real. */
export class FakeIdp extends IdpHttpClient {
  readonly tokenRequests: URLSearchParams[] = [];
  readonly getUrls: string[] = [];
  answer: (form: URLSearchParams) => TokenAnswer = (form) => ({ status: 200, body: this.tokens(form) });
  issued = 0;

  tokens(form: URLSearchParams, lifetime = 3600): Record<string, unknown> {
    this.issued++;
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: (form.get('scope') ?? '')
        .split(' ')
        .filter((s) => !['openid', 'profile', 'offline_access'].includes(s))
        .join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: `at-${this.issued}`,
    };
    if (form.get('grant_type') !== 'client_credentials') {
      const user = seededUser(1, TENANT, HOST);
      body.refresh_token = `rt-${this.issued}`;
      body.client_info = b64({ uid: user.oid, utid: TENANT });
      body.id_token = `${b64({ alg: 'none' })}.${b64({
        aud: CLIENT_ID,
        iss: `${AUTHORITY}/v2.0`,
        tid: TENANT,
        oid: user.oid,
        sub: 's',
        preferred_username: user.username,
        nonce: 'nonce-1',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 3600,
      })}.`;
    }
    return body;
  }

  override async getJson<T>(url: string): Promise<T> {
    this.getUrls.push(url);
    return {
      issuer: `${AUTHORITY}/v2.0`,
      authorization_endpoint: `${AUTHORITY}/oauth2/v2.0/authorize`,
      token_endpoint: `${AUTHORITY}/oauth2/v2.0/token`,
      jwks_uri: `${AUTHORITY}/discovery/v2.0/keys`,
    } as T;
  }

  override forOperation(observation: NetworkObservation) {
    return {
      sendGetRequestAsync: async <T>(): Promise<NetworkResponse<T>> => {
        throw new Error('MSAL should fetch nothing itself');
      },
      sendPostRequestAsync: async <T>(
        _url: string,
        options?: NetworkRequestOptions,
      ): Promise<NetworkResponse<T>> => {
        observation.requests++;
        const form = new URLSearchParams(options?.body ?? '');
        this.tokenRequests.push(form);
        await new Promise((resolve) => setTimeout(resolve, 5));
        const answer = this.answer(form);
        if (answer === 'unreachable' || answer.status >= 500) {
          observation.failure = new IdpTransportError('POST token endpoint answered 503', 503);
          throw observation.failure;
        }
        return { status: answer.status, headers: {}, body: answer.body as T };
      },
    };
  }
}

/** Options of an app registered at the fake identity provider. */
export function fakeIdpOptions(tenantId = TENANT): IdentityWebOptions {
  return normalizeOptions(
    {
      azureAd: {
        instance: `https://${HOST}/`,
        tenantId,
        clientId: CLIENT_ID,
        clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: 'app-secret' }],
      },
    },
    {},
  );
}

/** The service with a clock the test moves. */
export class ClockedService extends TokenAcquisitionService {
  clock = Date.now();
  protected override now(): number {
    return this.clock;
  }
}

/**
 * Token acquisition wired as the module wires it, over the fake identity provider, with a
 * service and hot index that read the test's clock.
 */
export function fakeTokenAcquisition(
  idp: FakeIdp,
  store: TokenCacheStore,
  options: IdentityWebOptions = fakeIdpOptions(),
): TokenAcquisitionParts & { service: ClockedService } {
  let service!: ClockedService;
  const hotIndex = new HotTokenIndex(100_000, () => service.clock);
  const parts = createTokenAcquisition(options, {
    store,
    http: idp,
    hotIndex,
    createService: (...args) => (service = new ClockedService(...args)),
  });
  return { ...parts, service };
}
