import { normalizeOptions } from '../../src/options/normalize-options';
import type { AccessToken } from '../../src/token-cache/access-token';
import {
  TokenAcquisitionService,
  type AppTokenOptions,
  type UserTokenOptions,
} from '../../src/token-acquisition/token-acquisition.service';
import { createTokenAcquisition } from '../../src/token-acquisition/create-token-acquisition';

/** A user token request as the double received it: the scopes and options are the caller's own objects. */
export interface RecordedUserTokenRequest {
  kind: 'user';
  scopes: readonly string[];
  options: UserTokenOptions | undefined;
}

/** An app token request as the double received it: `scopes` is the one `/.default` scope asked for. */
export interface RecordedAppTokenRequest {
  kind: 'app';
  scopes: string;
  options: AppTokenOptions | undefined;
}

/** A token request recorded by {@link RecordingTokenAcquisition}, in the order it was made. */
export type RecordedTokenRequest = RecordedUserTokenRequest | RecordedAppTokenRequest;

/**
 * A `TokenAcquisitionService` for unit tests of its callers: the real service's dispatch
 * (`getAccessToken`, its scope checks and `invalid_call` errors) over user and app token
 * requests that are recorded in `calls` and answered with a fixed token per kind
 * (`user-token` / `app-token`, expiring at `expiresOn`) instead of reaching an identity provider.
 * Set `userError` to reject user token requests (after recording them) with that error.
 *
 * @example
 * ```ts
 * const tokens = new RecordingTokenAcquisition();
 * await new AuthorizationHeaderProvider(tokens).createAuthorizationHeaderForUser(['api://x/read'], { user });
 * expect(tokens.calls).toEqual([{ kind: 'user', scopes: ['api://x/read'], options: { user } }]);
 * ```
 */
export class RecordingTokenAcquisition extends TokenAcquisitionService {
  /** Every user and app token request, in order. */
  readonly calls: RecordedTokenRequest[] = [];
  /** When set, user token requests are recorded and then rejected with this error. */
  userError: Error | undefined;
  /** When every answered token expires. */
  readonly expiresOn = new Date('2030-01-01T00:00:00Z');

  constructor() {
    const options = normalizeOptions(
      {
        azureAd: {
          instance: 'https://login.example/',
          tenantId: 'tid',
          clientId: '11111111-2222-3333-4444-555555555555',
          clientCredentials: [{ sourceType: 'ClientSecret', clientSecret: 'secret' }],
        },
        session: { secret: 'a-test-session-secret-of-32-characters+' },
      },
      {},
    );
    const { authorities, clients, cache, hotIndex } = createTokenAcquisition(options);
    super(options, authorities, clients, cache, hotIndex);
  }

  /** The user token requests among `calls`. */
  get userCalls(): RecordedUserTokenRequest[] {
    return this.calls.filter((call): call is RecordedUserTokenRequest => call.kind === 'user');
  }

  /** The app token requests among `calls`. */
  get appCalls(): RecordedAppTokenRequest[] {
    return this.calls.filter((call): call is RecordedAppTokenRequest => call.kind === 'app');
  }

  override async getAccessTokenForUser(
    scopes: readonly string[],
    options?: UserTokenOptions,
  ): Promise<AccessToken> {
    this.calls.push({ kind: 'user', scopes, options });
    if (this.userError) throw this.userError;
    return this.answer('user-token', [...scopes]);
  }

  override async getAccessTokenForApp(scope: string, options?: AppTokenOptions): Promise<AccessToken> {
    this.calls.push({ kind: 'app', scopes: scope, options });
    return this.answer('app-token', [scope]);
  }

  private answer(accessToken: string, scopes: string[]): AccessToken {
    return { accessToken, expiresOn: this.expiresOn, scopes, tokenType: 'Bearer' };
  }
}
