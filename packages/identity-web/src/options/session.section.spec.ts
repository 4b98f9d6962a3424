import type { IdentityWebModuleInput } from './identity-web.app-settings';
import { normalizeOptions } from './normalize-options';
import { base, normalize, problems } from '../../test/support/normalize-options';

describe('IdentityWeb:Session', () => {
  describe('validation', () => {
    it.each([
      ['no session at all', base(), 'IdentityWeb:Session:Secret'],
      [
        'a session section without secret',
        { ...base(), IdentityWeb: { Session: { CookieName: 'x' } } },
        'IdentityWeb:Session:Secret',
      ],
      ['a camelCase session without secret', { ...base(), session: { cookieName: 'x' } }, 'Session:Secret'],
    ])('in production, %s is refused', (_name, input, path) => {
      expect(problems(input, { NODE_ENV: 'production' })).toEqual([
        `${path} is required: a random string of at least 32 characters that signs the session cookie; ` +
          'set it through the environment variable IdentityWeb__Session__Secret or in code as session.secret.',
      ]);
    });

    it.each([
      [
        'short secret',
        { Secret: 'short' },
        /^Session:Secret must be a string \(or an array of strings\) of at least 32 characters\.$/,
      ],
      ['short secret in a list', { Secret: ['x'.repeat(32), 'short'] }, /^Session:Secret must be/],
      [
        'SameSite none without Secure',
        { Secret: 'x'.repeat(32), SameSite: 'none', Secure: false },
        /^Session:SameSite none requires Secure/,
      ],
      [
        'MaxAgeMs zero',
        { Secret: 'x'.repeat(32), MaxAgeMs: 0 },
        /^Session:MaxAgeMs must be a number of at least 1/,
      ],
    ])('session: %s is refused', (_name, session, message) => {
      expect(problems({ ...base(), session })).toContainEqual(expect.stringMatching(message));
    });
  });

  describe('secret outside production', () => {
    it('is generated at random, with a warning', () => {
      const warnings: string[] = [];
      const first = normalizeOptions(
        base() as IdentityWebModuleInput,
        {},
        { warn: (m: string) => warnings.push(m) },
      );
      const second = normalizeOptions(base() as IdentityWebModuleInput, {}, { warn: () => undefined });
      expect(typeof first.session.secret).toBe('string');
      expect((first.session.secret as string).length).toBeGreaterThanOrEqual(32);
      expect(first.session.secret).not.toBe(second.session.secret);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^IdentityWeb:Session:Secret is not set: using a random secret generated at start-up/,
        ),
      ]);
    });

    it('comes from the environment when set there', () => {
      const secret = 's'.repeat(40);
      const { options } = normalize(base(), { IdentityWeb__Session__Secret: secret, NODE_ENV: 'production' });
      expect(options.session.secret).toBe(secret);
    });
  });

  describe('store', () => {
    const secret = 's'.repeat(40);

    it('warns in production when sessions would live in the default MemoryStore', () => {
      const { warnings } = normalize(base(), {
        IdentityWeb__Session__Secret: secret,
        NODE_ENV: 'production',
      });
      expect(warnings).toEqual([
        expect.stringMatching(
          /^IdentityWeb:Session:Redis:ConnectionString is not set: sessions live in express-session's MemoryStore/,
        ),
      ]);
    });

    it('does not warn with a store, or outside production', () => {
      const store = { get() {}, set() {}, destroy() {} };
      const env = { IdentityWeb__Session__Secret: secret, NODE_ENV: 'production' };
      expect(normalize({ ...base(), session: { secret, store } }, env).warnings).toEqual([]);
      expect(normalize(base(), { IdentityWeb__Session__Secret: secret }).warnings).toEqual([]);
      for (const extra of <Record<string, string>[]>[
        { IdentityWeb__Session__Redis__ConnectionString: 'redis://localhost:6379' },
        { IdentityWeb__TokenCache__Postgres__ConnectionString: 'postgresql://localhost/test' },
      ]) {
        const { warnings } = normalize(base(), { ...env, ...extra });
        expect(warnings.filter((w) => w.includes('MemoryStore'))).toEqual([]);
      }
    });

    it('records a generated secret, which the session store refuses to share', () => {
      expect(normalize(base(), {}).options.session.generatedSecret).toBe(true);
      expect(
        normalize(base(), { IdentityWeb__Session__Secret: secret }).options.session.generatedSecret,
      ).toBeUndefined();
    });

    it('refuses two session stores', () => {
      expect(() =>
        normalize(base(), {
          IdentityWeb__Session__Secret: secret,
          IdentityWeb__Session__Redis__ConnectionString: 'redis://localhost:6379',
          IdentityWeb__Session__Postgres__ConnectionString: 'postgresql://localhost/test',
        }),
      ).toThrow(/IdentityWeb:Session:Postgres and Redis are both set/);
    });
  });

  describe('warnings', () => {
    it.each([
      [
        'an insecure session cookie',
        { ...base(), session: { secret: 'x'.repeat(32), secure: false } },
        /^Session:Secure is false/,
      ],
    ])('warns about %s', (_name, input, message) => {
      expect(normalize(input).warnings).toEqual([expect.stringMatching(message)]);
    });
  });
});
