import type { JWTPayload } from 'jose';
import { Strategy } from 'passport';
import { ConsentDeclinedError, InvalidArgumentError, SignInRefusedError } from '../errors';
import { resolveReturnUrl } from '../http/return-url';
import type { HttpRequestLike } from '../http/browser-request';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { AuthorizationCodeClient } from './authorization-code.client';
import type { IdTokenValidator } from './id-token.validator';
import type { PendingSignInStore } from './pending-sign-in.store';
import { redirectUriFor } from './app-urls';
import { liftedCode } from './callback-code.shield';
import { describePermissions } from './permission-words';
import { createPkcePair, randomUrlSafe } from './pkce';
import { identityProviderErrorMessage, toSignInError } from './sign-in-failures';
import type { PendingSignIn } from './sign-in-session';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { B2C_FORGOT_PASSWORD, B2C_USER_CANCELLED, isSecondaryUserFlow } from './user-flows';
import { OIDC_SCOPES, oneResourceScopes, unionScopes } from '../token-acquisition/scopes';

/** Per-request options the account routes give the strategy (`passport.authenticate(strategy, options)`). */
export interface EntraIdAuthenticateOptions {
  /** `true` on the callback path: redeem the code instead of starting a sign-in. */
  callback?: boolean;
  /** Where the identity provider sends the browser back: `AzureAd:RedirectUri`, else the app's origin + `callbackPath`. */
  redirectUri: string;
  /** Same-origin path to land on after sign-in (already checked by the caller). */
  returnUrl?: string;
  /** Extra scopes to consent to and cache, besides the sign-in scopes and `initialScopes`. */
  scopes?: string[];
  /** Claims request (a JSON object) for a claims challenge; anything else is refused with `invalid_argument`. */
  claims?: string;
  loginHint?: string;
  domainHint?: string;
  prompt?: string;
  userFlow?: string;
  /** What the challenge that starts this sign-in asks for, remembered to tell a loop from a new need. */
  challenge?: string;
  /** Same-origin page the user was on, offered as the way back if they cancel. */
  cameFrom?: string;
}

/** What a successful sign-in passes to passport's `success(user, info)`. */
export interface EntraIdSignInInfo {
  /** The return URL stored with the state; check it again before redirecting. */
  returnUrl: string;
  /** The spent state, to recognise the callback URL if the browser comes back to it. */
  state: string;
  /** What the challenge that started the sign-in asked for, if one did. */
  challenge?: string;
  /** The validated ID token's claims. */
  claims: JWTPayload;
}

/** Collaborators of the strategy. */
export interface EntraIdStrategyDependencies {
  options: IdentityWebOptions;
  codes: AuthorizationCodeClient;
  validator: IdTokenValidator;
  pending: PendingSignInStore;
}

/** Lets the app accept, enrich or refuse (`false`) a user whose sign-in checked out. */
export type EntraIdVerifyFunction = (
  user: SignedInUser,
  claims: JWTPayload,
  done: (err: unknown, user?: SignedInUser | false | null) => void,
) => void;

interface PassportActions {
  success(user: object, info?: object): void;
  redirect(url: string, status?: number): void;
  error(err: unknown): void;
}

type SignInRequest = HttpRequestLike & {
  query?: Record<string, unknown>;
  body?: unknown;
};

/**
 * Passport strategy for Microsoft Entra ID sign-in: the authorization code flow with PKCE (S256),
 * `state` and `nonce` kept server-side in the session with the return URL, the code redeemed
 * through `AuthorizationCodeClient` (MSAL) so the user's refresh token is cached at once, and the
 * ID token validated before anything is kept. Use it through {@link EntraIdStrategy}, which
 * registers it with `@nestjs/passport` as `entra-id`.
 *
 * @example
 * ```ts
 * passport.authenticate(Object.create(strategy), { redirectUri: 'https://app.example/signin-oidc' })(req, res, next);
 * ```
 */
export class EntraIdOidcStrategy extends Strategy {
  override name = 'entra-id';

  constructor(
    protected readonly dependencies: EntraIdStrategyDependencies,
    private readonly verify?: EntraIdVerifyFunction,
  ) {
    super();
  }

  /**
   * Starts a sign-in, or completes one when `options.callback` is set (or, when it is not given,
   * when the request carries `state`, `code` or `error`, as on the callback path). Without
   * `redirectUri`, `AzureAd:RedirectUri` (or else the request's origin + `callbackPath`) is used, so
   * `AuthGuard('entra-id')` works too.
   */
  override authenticate(req: SignInRequest, options: Partial<EntraIdAuthenticateOptions> = {}): void {
    const actions = this as unknown as PassportActions;
    const redirectUri = options.redirectUri ?? redirectUriFor(this.dependencies.options, req);
    const params = this.responseParameters(req);
    const callback =
      options.callback ?? ['state', 'code', 'error'].some((name) => params[name] !== undefined);
    const resolved: EntraIdAuthenticateOptions = { ...options, redirectUri, callback };
    const work = callback
      ? this.completeSignIn(req, resolved, actions)
      : this.startSignIn(req, resolved, actions);
    work.catch((err: unknown) => actions.error(err));
  }

  /** Sends the browser to the identity provider with a new state, nonce and PKCE challenge. */
  protected async startSignIn(
    req: SignInRequest,
    options: EntraIdAuthenticateOptions,
    actions: PassportActions,
  ): Promise<void> {
    const { options: settings, codes, pending } = this.dependencies;
    if (options.claims !== undefined) assertClaimsRequest(options.claims);
    const state = randomUrlSafe();
    const nonce = randomUrlSafe();
    const pkce = createPkcePair();
    const userFlow = options.userFlow ?? settings.azureAd.signUpSignInPolicyId;
    // A challenge's own scopes first: the code is redeemed for the first resource named (see redeem).
    const scopes = unionScopes(OIDC_SCOPES, options.scopes ?? [], settings.azureAd.initialScopes);
    const url = await codes.getAuthorizationCodeUrl({
      redirectUri: options.redirectUri,
      scopes,
      state,
      nonce,
      codeChallenge: pkce.challenge,
      prompt: options.prompt,
      loginHint: options.loginHint,
      domainHint: options.domainHint,
      claims: options.claims,
      userFlow,
      responseMode: settings.azureAd.responseMode,
    });
    pending.add(req, {
      state,
      nonce,
      codeVerifier: pkce.verifier,
      returnUrl: options.returnUrl ?? '/',
      redirectUri: options.redirectUri,
      scopes,
      userFlow,
      createdAt: Date.now(),
      ...(options.challenge ? { challenge: options.challenge } : {}),
      ...(options.cameFrom ? { cameFrom: options.cameFrom } : {}),
    });
    actions.redirect(url);
  }

  /** Checks the state, handles an error answer, redeems the code and validates the ID token. */
  protected async completeSignIn(
    req: SignInRequest,
    _options: EntraIdAuthenticateOptions,
    actions: PassportActions,
  ): Promise<void> {
    const { codes, validator, pending } = this.dependencies;
    const params = this.responseParameters(req);
    // Back after a round trip this session completed: its page again, instead of a refusal.
    const completed = pending.completedReturnUrl(req, params.state);
    if (completed !== undefined) return actions.redirect(resolveReturnUrl(completed));
    const entry = pending.take(req, params.state);
    if (params.error !== undefined) return this.handleErrorResponse(req, entry, params, actions);
    if (typeof params.code !== 'string' || params.code.length === 0) {
      throw new SignInRefusedError('Sign-in refused: the response has no authorization code.');
    }
    let claims: JWTPayload | undefined;
    let user: SignedInUser;
    try {
      ({ user } = await codes.redeem({
        code: params.code,
        redirectUri: entry.redirectUri,
        // Consent was asked for every resource at once; a token request may name only one.
        scopes: oneResourceScopes(entry.scopes),
        codeVerifier: entry.codeVerifier,
        nonce: entry.nonce,
        userFlow: entry.userFlow,
        validateIdToken: async (idToken: string) => {
          claims = await validator.validate(idToken, { nonce: entry.nonce, userFlow: entry.userFlow });
        },
      }));
    } catch (err) {
      throw toSignInError(err);
    }
    if (!claims) throw new SignInRefusedError('Sign-in refused: the ID token was not validated.');
    const accepted = await this.runVerify(user, claims);
    if (!accepted) throw new SignInRefusedError('Sign-in refused by the application.');
    const info: EntraIdSignInInfo = {
      returnUrl: entry.returnUrl,
      state: entry.state,
      claims,
      ...(entry.challenge ? { challenge: entry.challenge } : {}),
    };
    actions.success(accepted, info);
  }

  /**
   * An error answer from the identity provider. B2C / External ID: "Forgot your password?" on the
   * sign-up-sign-in page (`AADB2C90118`) starts the reset-password flow with the same return URL,
   * and a cancelled edit-profile or reset-password page (`AADB2C90091`) goes back to the return
   * URL. A cancelled sign-in or consent page (`access_denied`) is a {@link ConsentDeclinedError}
   * naming what was asked for. Anything else refuses the sign-in.
   */
  protected async handleErrorResponse(
    req: SignInRequest,
    entry: PendingSignIn,
    params: Record<string, unknown>,
    actions: PassportActions,
  ): Promise<void> {
    const { options: settings } = this.dependencies;
    const description = typeof params.error_description === 'string' ? params.error_description : '';
    const resetFlow = settings.azureAd.resetPasswordPolicyId;
    if (description.includes(B2C_FORGOT_PASSWORD) && resetFlow) {
      return this.startSignIn(
        req,
        { redirectUri: entry.redirectUri, returnUrl: entry.returnUrl, userFlow: resetFlow },
        actions,
      );
    }
    if (description.includes(B2C_USER_CANCELLED) && isSecondaryUserFlow(settings, entry.userFlow)) {
      return actions.redirect(entry.returnUrl);
    }
    if (params.error === 'access_denied' && !description.includes(B2C_FORGOT_PASSWORD)) {
      throw this.declined(entry);
    }
    throw new SignInRefusedError(identityProviderErrorMessage(params.error));
  }

  /** What the user declined, in words: "You did not grant <app> permission to read your mail." */
  protected declined(entry: PendingSignIn): ConsentDeclinedError {
    const { azureAd, consent } = this.dependencies.options;
    const words = describePermissions(entry.scopes, azureAd.initialScopes);
    const message =
      words === 'sign you in'
        ? `Sign-in was cancelled: ${consent.applicationName} did not get permission to sign you in.`
        : `You did not grant ${consent.applicationName} permission to ${words}.`;
    return new ConsentDeclinedError(message, entry.scopes, entry.cameFrom ?? entry.returnUrl);
  }

  /**
   * The authorization response: the query for `response_mode=query` (with the `code` the
   * {@link CallbackCodeShield} took off the URL), the form body for `form_post`.
   */
  protected responseParameters(req: SignInRequest): Record<string, unknown> {
    const source = req.method === 'POST' ? req.body : req.query;
    const params = source && typeof source === 'object' ? (source as Record<string, unknown>) : {};
    const code = req.method === 'POST' ? undefined : liftedCode(req);
    return code === undefined ? params : { ...params, code };
  }

  private runVerify(
    user: SignedInUser,
    claims: JWTPayload,
  ): Promise<SignedInUser | false | null | undefined> {
    const verify = this.verify;
    if (!verify) return Promise.resolve(user);
    return new Promise((resolve, reject) =>
      verify(user, claims, (err, result) => (err ? reject(err) : resolve(result))),
    );
  }
}

/** A `claims` request must be a JSON object (`{"id_token":{...}}`, `{"access_token":{...}}`). */
function assertClaimsRequest(claims: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(
      'The claims parameter must be a JSON object, such as {"access_token":{"acrs":{"essential":true,"value":"c1"}}}.',
    );
  }
}
