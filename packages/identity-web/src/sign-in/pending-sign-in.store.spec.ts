import { IdentityWebError } from '../errors';
import { PendingSignInStore } from './pending-sign-in.store';
import type { PendingSignIn } from './sign-in-session';

class ClockedStore extends PendingSignInStore {
  time = 1_000_000;
  protected override now(): number {
    return this.time;
  }
}

function entry(state: string, createdAt: number): PendingSignIn {
  return {
    state,
    nonce: `nonce-${state}`,
    codeVerifier: 'v',
    returnUrl: '/',
    redirectUri: 'http://localhost/signin-oidc',
    scopes: ['openid'],
    createdAt,
  };
}

function refusal(run: () => unknown): IdentityWebError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(IdentityWebError);
    return err as IdentityWebError;
  }
  throw new Error('expected a refusal');
}

describe('PendingSignInStore', () => {
  let store: ClockedStore;
  let req: { session: Record<string, unknown> };

  beforeEach(() => {
    store = new ClockedStore();
    req = { session: {} };
  });

  it('gives back the entry of a known state once', () => {
    store.add(req, entry('a', store.time));
    expect(store.take(req, 'a').nonce).toBe('nonce-a');
    expect(refusal(() => store.take(req, 'a')).code).toBe('sign_in_refused');
  });

  it('refuses an unknown, missing or non-string state', () => {
    store.add(req, entry('a', store.time));
    for (const state of ['b', '', undefined, ['a'], { state: 'a' }]) {
      expect(refusal(() => store.take(req, state)).code).toBe('sign_in_refused');
    }
    expect(store.take(req, 'a').state).toBe('a');
  });

  it('refuses a state older than ten minutes', () => {
    store.add(req, entry('a', store.time));
    store.time += 10 * 60 * 1000 + 1;
    expect(refusal(() => store.take(req, 'a')).message).toMatch(/too long/);
  });

  it('keeps several tabs apart and at most five pending sign-ins per session', () => {
    for (let i = 0; i < 7; i += 1) store.add(req, entry(`s${i}`, store.time));
    expect(refusal(() => store.take(req, 's0')).code).toBe('sign_in_refused');
    expect(refusal(() => store.take(req, 's1')).code).toBe('sign_in_refused');
    expect(store.take(req, 's4').state).toBe('s4');
    expect(store.take(req, 's2').state).toBe('s2');
  });

  it('drops expired entries when adding', () => {
    store.add(req, entry('old', store.time));
    store.time += 11 * 60 * 1000;
    store.add(req, entry('new', store.time));
    expect((req.session.identityWeb as { pending: PendingSignIn[] }).pending.map((p) => p.state)).toEqual([
      'new',
    ]);
  });

  it('refuses without a session', () => {
    expect(refusal(() => store.take({}, 'a')).code).toBe('sign_in_refused');
    expect(refusal(() => store.add({}, entry('a', 0))).code).toBe('invalid_configuration');
  });
});
