import type { IdentityWebOptions } from '../options/identity-web.options';
import type { AuthorizationCodeClient } from './authorization-code.client';
import { EntraIdOidcStrategy } from './entra-id-oidc.strategy';
import type { IdTokenValidator } from './id-token.validator';
import { PendingSignInStore } from './pending-sign-in.store';
import type { PendingSignIn } from './sign-in-session';

const SUSI = 'B2C_1_susi';
const EDIT = 'B2C_1_edit';
const RESET = 'B2C_1_reset';

/** The strategy over a real pending-sign-in store and a token service that only builds URLs. */
function setup(azureAd: Partial<IdentityWebOptions['azureAd']> = {}) {
  const options = {
    azureAd: {
      callbackPath: '/signin-oidc',
      initialScopes: [],
      signUpSignInPolicyId: SUSI,
      editProfilePolicyId: EDIT,
      resetPasswordPolicyId: RESET,
      ...azureAd,
    },
    consent: { applicationName: 'Contoso Mail' },
  } as unknown as IdentityWebOptions;
  const urls: Array<{ userFlow?: string; redirectUri: string }> = [];
  const codes = {
    getAuthorizationCodeUrl: async (p: { userFlow?: string; redirectUri: string }) => {
      urls.push(p);
      return `https://idp.example/${p.userFlow}/authorize`;
    },
    redeem: async () => {
      throw new Error('not expected');
    },
  } as unknown as AuthorizationCodeClient;
  const pending = new PendingSignInStore();
  const strategy = new EntraIdOidcStrategy({
    options,
    codes,
    validator: {} as IdTokenValidator,
    pending,
  });
  const req = { method: 'GET', headers: {}, session: {} as Record<string, unknown>, query: {} };
  return { strategy, pending, req, urls };
}

/** Runs `authenticate` and resolves with the passport action the strategy took. */
function run(
  strategy: EntraIdOidcStrategy,
  req: object,
  options: object = {},
): Promise<{ action: 'redirect' | 'error' | 'success'; value: unknown }> {
  return new Promise((resolve) => {
    const instance = Object.create(strategy) as EntraIdOidcStrategy & Record<string, unknown>;
    instance.redirect = (url: unknown) => resolve({ action: 'redirect', value: url });
    instance.error = (err: unknown) => resolve({ action: 'error', value: err });
    instance.success = (user: unknown) => resolve({ action: 'success', value: user });
    instance.authenticate(req as never, options);
  });
}

function entry(userFlow: string, returnUrl = '/orders?page=2'): PendingSignIn {
  return {
    state: `state-${userFlow}`,
    nonce: 'nonce',
    codeVerifier: 'verifier',
    returnUrl,
    redirectUri: 'https://app.example/signin-oidc',
    scopes: ['openid'],
    userFlow,
    createdAt: Date.now(),
  };
}

describe('EntraIdOidcStrategy', () => {
  describe('B2C errors on the callback', () => {
    it('AADB2C90118 (forgot password) starts the reset-password flow with the same return URL', async () => {
      const { strategy, pending, req, urls } = setup();
      pending.add(req, entry(SUSI));
      req.query = {
        state: `state-${SUSI}`,
        error: 'access_denied',
        error_description: 'AADB2C90118: The user has forgotten their password.',
      };
      await expect(run(strategy, req)).resolves.toEqual({
        action: 'redirect',
        value: `https://idp.example/${RESET}/authorize`,
      });
      expect(urls).toEqual([
        expect.objectContaining({ userFlow: RESET, redirectUri: 'https://app.example/signin-oidc' }),
      ]);
      const [started] = (req.session as { identityWeb: { pending: PendingSignIn[] } }).identityWeb.pending;
      expect(started).toMatchObject({ userFlow: RESET, returnUrl: '/orders?page=2' });
    });

    it('refuses AADB2C90118 when no reset-password flow is configured', async () => {
      const { strategy, pending, req } = setup({ resetPasswordPolicyId: undefined });
      pending.add(req, entry(SUSI));
      req.query = {
        state: `state-${SUSI}`,
        error: 'access_denied',
        error_description: 'AADB2C90118: forgot',
      };
      const result = await run(strategy, req);
      expect(result.action).toBe('error');
      expect(result.value).toMatchObject({ code: 'sign_in_refused' });
    });

    it('AADB2C90091 (cancelled) on an edit-profile flow goes back to the return URL; on sign-in it is declined', async () => {
      const { strategy, pending, req } = setup();
      pending.add(req, entry(EDIT));
      req.query = {
        state: `state-${EDIT}`,
        error: 'access_denied',
        error_description: 'AADB2C90091: cancelled',
      };
      await expect(run(strategy, req)).resolves.toEqual({ action: 'redirect', value: '/orders?page=2' });

      pending.add(req, entry(SUSI));
      req.query = {
        state: `state-${SUSI}`,
        error: 'access_denied',
        error_description: 'AADB2C90091: cancelled',
      };
      const declined = await run(strategy, req);
      expect(declined.value).toMatchObject({
        code: 'consent_declined',
        message: 'Sign-in was cancelled: Contoso Mail did not get permission to sign you in.',
        backUrl: '/orders?page=2',
      });
    });

    it('checks the state before acting on an error (no reset flow for a forged answer)', async () => {
      const { strategy, req, urls } = setup();
      req.query = { state: 'forged', error: 'access_denied', error_description: 'AADB2C90118' };
      const result = await run(strategy, req);
      expect(result.value).toMatchObject({ code: 'sign_in_refused' });
      expect(urls).toHaveLength(0);
    });
  });

  describe('claims', () => {
    it.each(['notjson', '"text"', '[1]', 'null', '42'])(
      'refuses %s with invalid_argument before contacting the IdP',
      async (claims) => {
        const { strategy, req, urls } = setup();
        const result = await run(strategy, req, { claims });
        expect(result.value).toMatchObject({ code: 'invalid_argument' });
        expect(urls).toHaveLength(0);
      },
    );
  });
});
