import { ChallengeUserException, IdentityWebError } from '../errors';
import { IdpTransportError } from './idp-http.client';
import { toIdentityWebError } from './msal-error.mapper';

const request = { scopes: ['api://todo/read'], authority: 'https://localhost:8443/t1', userFlow: undefined };

/** Shaped like MSAL's errors; compared by code, as a second copy of msal-common would be. */
function msalError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('AADSTS... secret-looking message'), fields);
}

describe('toIdentityWebError', () => {
  it('turns a consent error on refresh into a challenge with msalErrorCode consent_required', () => {
    const cause = msalError({ errorCode: 'invalid_grant', subError: 'consent_required', errorNo: '65001' });
    const error = toIdentityWebError(cause, request) as ChallengeUserException;
    expect(error).toBeInstanceOf(ChallengeUserException);
    expect(error.code).toBe('challenge_user');
    expect(error.msalErrorCode).toBe('consent_required');
    expect(error.scopes).toEqual(['api://todo/read']);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('AADSTS65001');
  });

  it('carries the claims of an MFA challenge', () => {
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    const error = toIdentityWebError(
      msalError({ errorCode: 'invalid_grant', subError: 'basic_action', claims }),
      { ...request, userFlow: 'B2C_1_susi' },
    ) as ChallengeUserException;
    expect(error.msalErrorCode).toBe('basic_action');
    expect(error.claims).toBe(claims);
    expect(error.userFlow).toBe('B2C_1_susi');
  });

  it.each(['no_tokens_found', 'interaction_required', 'login_required', 'consent_required'])(
    'treats %s as interaction required',
    (errorCode) => {
      expect(toIdentityWebError(msalError({ errorCode }), request)).toBeInstanceOf(ChallengeUserException);
    },
  );

  describe('a plain invalid_grant (a ServerError: no interaction sub-error)', () => {
    it.each([
      ['700082', 'refresh token expired after inactivity'],
      ['50173', 'grant expired after a password change'],
      ['70043', 'refresh token expired by sign-in frequency'],
    ])('on a user refresh is a challenge: AADSTS%s (%s)', (errorNo) => {
      const cause = msalError({ name: 'ServerError', errorCode: 'invalid_grant', subError: '', errorNo });
      const error = toIdentityWebError(cause, { ...request, kind: 'user' }) as ChallengeUserException;
      expect(error).toBeInstanceOf(ChallengeUserException);
      expect(error.msalErrorCode).toBe('invalid_grant');
      expect(error.message).toContain(`AADSTS${errorNo}`);
      expect(error.cause).toBe(cause);
    });

    it('on client credentials stays idp_error: there is no user to ask', () => {
      const error = toIdentityWebError(msalError({ errorCode: 'invalid_grant', errorNo: '700082' }), {
        ...request,
        kind: 'app',
      });
      expect(error).not.toBeInstanceOf(ChallengeUserException);
      expect(error.code).toBe('idp_error');
    });

    it('on on-behalf-of is a challenge only when the provider asks for the user (claims or MFA)', () => {
      const refusedAssertion = toIdentityWebError(
        msalError({ errorCode: 'invalid_grant', errorNo: '500133' }),
        {
          ...request,
          kind: 'obo',
        },
      );
      expect(refusedAssertion.code).toBe('idp_error');
      const claims = '{"access_token":{"capolids":{"essential":true,"values":["p1"]}}}';
      const withClaims = toIdentityWebError(
        msalError({ errorCode: 'invalid_grant', errorNo: '53003', claims }),
        { ...request, kind: 'obo' },
      ) as ChallengeUserException;
      expect(withClaims).toBeInstanceOf(ChallengeUserException);
      expect(withClaims.claims).toBe(claims);
      const mfa = toIdentityWebError(msalError({ errorCode: 'invalid_grant', errorNo: 50076 }), {
        ...request,
        kind: 'obo',
      });
      expect(mfa).toBeInstanceOf(ChallengeUserException);
    });

    it('with sub-error client_mismatch is not about the user', () => {
      const error = toIdentityWebError(
        msalError({ errorCode: 'invalid_grant', subError: 'client_mismatch' }),
        {
          ...request,
          kind: 'user',
        },
      );
      expect(error.code).toBe('idp_error');
    });
  });

  it('reports an unreachable provider as idp_unavailable, naming the authority', () => {
    const failure = new IdpTransportError(
      'POST https://localhost:8443/t1/oauth2/v2.0/token timed out after 50 ms',
    );
    const cause = msalError({ errorCode: 'network_error' });
    const error = toIdentityWebError(cause, { ...request, network: { requests: 1, failure } });
    expect(error.code).toBe('idp_unavailable');
    expect(error.message).toContain('https://localhost:8443/t1');
    expect(error.message).toContain('timed out');
    expect(error.cause).toBe(cause);
  });

  it('reports a refusal that interaction cannot fix as idp_error, without MSAL message text', () => {
    const error = toIdentityWebError(msalError({ errorCode: 'invalid_client', errorNo: '7000215' }), request);
    expect(error).not.toBeInstanceOf(ChallengeUserException);
    expect(error.code).toBe('idp_error');
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain('secret-looking');
  });

  it('passes library errors through', () => {
    const own = new IdentityWebError('cache_unavailable', 'x');
    expect(toIdentityWebError(own, request)).toBe(own);
  });
});
