import type { IdentityWebOptions } from '../options/identity-web.options';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { resolveUserFlow, sessionIdentityAfter } from './user-flows';

const b2c = {
  azureAd: {
    signUpSignInPolicyId: 'B2C_1_susi',
    editProfilePolicyId: 'B2C_1_edit',
    resetPasswordPolicyId: 'B2C_1_reset',
  },
} as unknown as IdentityWebOptions;
const entra = { azureAd: {} } as unknown as IdentityWebOptions;

function user(flow: string, overrides: Partial<SignedInUser> = {}): SignedInUser {
  return {
    homeAccountId: `oid-1-${flow.toLowerCase()}.tid-1`,
    tenantId: 'tid-1',
    localAccountId: 'oid-1',
    username: 'alice@contoso.com',
    name: 'Alice',
    environment: 'contoso.b2clogin.com',
    userFlow: flow,
    ...overrides,
  };
}

describe('user flows', () => {
  describe('resolveUserFlow', () => {
    it('returns the configured spelling of a configured flow', () => {
      expect(resolveUserFlow(b2c, 'b2c_1_EDIT')).toBe('B2C_1_edit');
    });

    it('refuses other flows, and every policy on an app without user flows', () => {
      expect(() => resolveUserFlow(b2c, 'B2C_1_other')).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
      expect(() => resolveUserFlow(entra, 'B2C_1_susi')).toThrow(/only accepted by B2C/);
    });
  });

  describe('sessionIdentityAfter', () => {
    it('keeps a sign-up-sign-in account as it signed in', () => {
      const susi = user('B2C_1_susi');
      expect(sessionIdentityAfter(b2c, susi, undefined)).toBe(susi);
    });

    it('keeps the previous identity of the same person after an edit-profile run, with the new name', () => {
      const previous = user('B2C_1_susi');
      const edited = user('B2C_1_edit', { name: 'Alice B.' });
      expect(sessionIdentityAfter(b2c, edited, previous)).toEqual({ ...previous, name: 'Alice B.' });
    });

    it('rewrites the account to the sign-up-sign-in flow when nobody was signed in (reset from the sign-in page)', () => {
      const reset = user('B2C_1_reset');
      expect(sessionIdentityAfter(b2c, reset, undefined)).toEqual({
        ...reset,
        homeAccountId: 'oid-1-b2c_1_susi.tid-1',
        userFlow: 'B2C_1_susi',
      });
    });

    it('does not keep another person signed in', () => {
      const other = user('B2C_1_susi', { localAccountId: 'oid-2', homeAccountId: 'oid-2-b2c_1_susi.tid-1' });
      expect(sessionIdentityAfter(b2c, user('B2C_1_edit'), other).homeAccountId).toBe(
        'oid-1-b2c_1_susi.tid-1',
      );
    });
  });
});
