import type { AccessToken as AzureAccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InvalidCallError, TokenAcquisitionService, type SignedInUser } from 'nest-identity-web';
import { IDENTITY_WEB_AZURE_MODULE_OPTIONS } from '../identity-web-azure.module-definition';
import type { MicrosoftIdentityTokenCredentialOptions } from './microsoft-identity-token-credential.options';

/**
 * An Azure SDK `TokenCredential` backed by the app's Microsoft Entra ID sign-in: hand it to any
 * Azure client (`BlobServiceClient`, `SecretClient`, `ServiceBusClient`…) and the client calls
 * the service as the signed-in user, with tokens from the library's token cache. Consent or MFA
 * the user still owes surfaces as a `ChallengeUserException`, which the library's filters turn
 * into a consent round trip.
 *
 * By default it acts for the user of the request being served, found through request context,
 * so one instance serves every request. {@link forApp} acts as the app (client credentials),
 * {@link forUser} for a given user in background work. The SDK's `claims` (a claims challenge)
 * and `tenantId` (a tenant challenge) are honoured for user and app tokens alike: a token asked
 * for with claims is a new one, never the cached token the resource refused.
 *
 * Create Azure SDK clients per request when they act for a user: a client keeps the last token
 * it got and reuses it until it nearly expires, so a client shared across requests would send
 * the first user's token for everyone.
 *
 * @example
 * ```ts
 * @Controller('blobs')
 * @AuthorizeForScopes({ scopes: ['https://storage.azure.com/user_impersonation'] })
 * export class BlobsController {
 *   constructor(private readonly credential: MicrosoftIdentityTokenCredential) {}
 *
 *   @Get()
 *   async list(): Promise<string[]> {
 *     const service = new BlobServiceClient('https://myaccount.blob.core.windows.net', this.credential);
 *     const names: string[] = [];
 *     for await (const blob of service.getContainerClient('mycontainer').listBlobsFlat()) names.push(blob.name);
 *     return names;
 *   }
 * }
 * ```
 */
@Injectable()
export class MicrosoftIdentityTokenCredential implements TokenCredential {
  /** How this credential gets its tokens; never changed after construction. */
  readonly options: Readonly<MicrosoftIdentityTokenCredentialOptions>;

  constructor(
    private readonly tokens: TokenAcquisitionService,
    @Optional() @Inject(IDENTITY_WEB_AZURE_MODULE_OPTIONS) options?: MicrosoftIdentityTokenCredentialOptions,
  ) {
    this.options = Object.freeze({ ...options });
  }

  /**
   * A token for `scopes`, as the Azure SDK asks for it (usually the resource's `.default` scope).
   * Azure clients call this themselves; call it directly only to get a token by hand.
   *
   * @throws ChallengeUserException when the user must consent, sign in again or satisfy MFA.
   * @throws IdentityWebError `no_user` outside a request without a user; `invalid_call` for
   *   no scope, or an app token asked for other than one `/.default` scope; `idp_unavailable` and
   *   the other token errors.
   *
   * @example
   * ```ts
   * const { token, expiresOnTimestamp } = await credential.getToken('https://vault.azure.net/.default');
   * ```
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AzureAccessToken> {
    const requested = (Array.isArray(scopes) ? scopes : [scopes])
      .map((scope) => scope.trim())
      .filter(Boolean);
    if (requested.length === 0) {
      throw new InvalidCallError(
        'getToken needs at least one scope, such as "https://storage.azure.com/.default".',
      );
    }
    throwIfAborted(options);
    const acquisition = this.tokens.getAccessToken(requested, {
      requestAppToken: this.options.requestAppToken,
      user: this.options.user,
      acquireTokenOptions: {
        tenant: options.tenantId ?? this.options.tenant,
        claims: options.claims,
        userFlow: this.options.userFlow,
      },
    });
    const token = await untilAborted(acquisition, options);
    return { token: token.accessToken, expiresOnTimestamp: token.expiresOn.getTime(), tokenType: 'Bearer' };
  }

  /**
   * A credential with the same settings that acts as the app itself (client credentials), like
   * `RequestAppToken = true` in Microsoft.Identity.Web.
   *
   * @example
   * ```ts
   * const queues = new QueueServiceClient(url, this.credential.forApp());
   * ```
   */
  forApp(): MicrosoftIdentityTokenCredential {
    return this.withOptions({ requestAppToken: true, user: undefined });
  }

  /**
   * A credential that acts for `user`, wherever it runs: for work done outside a request.
   *
   * @example
   * ```ts
   * const blobs = new BlobServiceClient(url, this.credential.forUser(job.user));
   * ```
   */
  forUser(user: SignedInUser): MicrosoftIdentityTokenCredential {
    return this.withOptions({ requestAppToken: false, user });
  }

  /**
   * A credential with these settings over this one's (tenant, user flow…).
   *
   * @example
   * ```ts
   * const guestBlobs = new BlobServiceClient(url, this.credential.withOptions({ tenant: resourceTenantId }));
   * ```
   */
  withOptions(options: MicrosoftIdentityTokenCredentialOptions): MicrosoftIdentityTokenCredential {
    return new MicrosoftIdentityTokenCredential(this.tokens, { ...this.options, ...options });
  }
}

function throwIfAborted(options: GetTokenOptions): void {
  if (options.abortSignal?.aborted) throw abortError();
}

/** Settles with `work`, or rejects as soon as the SDK's abort signal fires. */
function untilAborted<T>(work: Promise<T>, options: GetTokenOptions): Promise<T> {
  const signal = options.abortSignal;
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort);
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The Azure SDK recognises an abort by the error's name. */
function abortError(): Error {
  const error = new Error('The token request was aborted.');
  error.name = 'AbortError';
  return error;
}
