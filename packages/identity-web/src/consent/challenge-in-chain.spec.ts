import { ChallengeUserException, IdentityWebError } from '../errors';
import { ChallengeInChain, challengeIn } from './challenge-in-chain';

describe('ChallengeInChain and challengeIn', () => {
  const challenge = new ChallengeUserException(['Mail.Read'], 'consent required', { claims: '{"a":1}' });

  it('recognise a challenge itself and along the cause chain, never another error', () => {
    const wrapped = new Error('Graph call failed', { cause: new Error('inner', { cause: challenge }) });
    expect(challenge instanceof ChallengeInChain).toBe(true);
    expect(wrapped instanceof ChallengeInChain).toBe(true);
    expect(new IdentityWebError('idp_error', 'refused') instanceof ChallengeInChain).toBe(false);
    expect(('challenge_user' as unknown) instanceof ChallengeInChain).toBe(false);
    expect(challengeIn(wrapped)).toBe(challenge); // the object itself: single-flight waiters share it
  });

  it("turn another copy's challenge into this copy's class, keeping it as the cause", () => {
    const foreign = Object.assign(new Error('consent required'), {
      code: 'challenge_user',
      scopes: ['Mail.Read'],
      claims: '{"a":1}',
    });
    const own = challengeIn(foreign);
    expect(own).toBeInstanceOf(ChallengeUserException);
    expect(own).toMatchObject({ scopes: ['Mail.Read'], claims: '{"a":1}', cause: foreign });
  });
});
