import { normalizeOptions } from '../options/normalize-options';
import type { AccessToken } from '../token-cache/access-token';
import {
  TokenAcquisitionService,
  type AppTokenOptions,
  type UserTokenOptions,
} from '../token-acquisition/token-acquisition.service';
import { createTokenAcquisition } from '../token-acquisition/create-token-acquisition';

/**
 * A user token request as the double received it: the scopes and options are the caller's own objects.
 *
 * @example
 * ```ts
 * expect(tokens.userCalls[0]).toMatchObject({ kind: 'user', scopes: ['User.Read'] });
 * ```
 */
export interface RecordedUserTokenRequest {
  kind: 'user';
  scopes: readonly string[];
  options: UserTokenOptions | undefined;
}

/**
 * An app token request as the double received it: `scopes` is the one `/.default` scope asked for.
 *
 * @example
 * ```ts
 * expect(tokens.appCalls[0].scopes).toBe('https://graph.microsoft.com/.default');
 * ```
 */
export interface RecordedAppTokenRequest {
  kind: 'app';
  scopes: string;
  options: AppTokenOptions | undefined;
}

/**
 * A token request recorded by {@link RecordingTokenAcquisition}, in the order it was made.
 *
 * @example
 * ```ts
 * const kinds = tokens.calls.map((call: RecordedTokenRequest) => call.kind); // ['user', 'app']
 * ```
 */
export type RecordedTokenRequest = RecordedUserTokenRequest | RecordedAppTokenRequest;

/**
 * A `TokenAcquisitionService` for unit tests of code that asks it for tokens (your services,
 * providers, SDK adapters), with no identity provider and no network: the real service's dispatch
 * (`getAccessToken`, its scope checks and `invalid_call` errors) over user and app token
 * requests that are recorded in `calls` and answered with a fixed token per kind
 * (`user-token` / `app-token`, expiring at `expiresOn`) instead of reaching an identity provider.
 * Set `userError` to reject user token requests (after recording them) with that error, such
 * as a `ChallengeUserException`. Provide it in place of the real service in a testing module.
 *
 * @example
 * ```ts
 * const tokens = new RecordingTokenAcquisition();
 * const moduleRef = await Test.createTestingModule({
 *   providers: [MailService, { provide: TokenAcquisitionService, useValue: tokens }],
 * }).compile();
 * await moduleRef.get(MailService).latest(SIGNED_IN_USER);
 * expect(tokens.userCalls[0].scopes).toEqual(['Mail.Read']);
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
