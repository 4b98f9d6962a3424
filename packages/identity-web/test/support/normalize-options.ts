import { InvalidConfigurationError } from '../../src/errors';
import type { IdentityWebModuleInput } from '../../src/options/identity-web.app-settings';
import { normalizeOptions } from '../../src/options/normalize-options';
import { OptionsValidationError } from '../../src/errors/options-validation.error';

/** A client ID of the right shape, so no "is not a GUID" warning. */
export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
/** A client secret that tests check is never printed. */
export const SECRET = 'a-client-secret-that-must-never-be-printed';

/**
 * The smallest valid appsettings for the options specs: `AzureAd` with a tenant, a client ID and
 * one client secret. A fresh copy each time, so tests may change it.
 *
 * @example
 * ```ts
 * normalize({ ...base(), DownstreamApis: { TodoList: { BaseUrl: 'https://localhost:5001' } } });
 * ```
 */
export function base(): Record<string, Record<string, unknown>> {
  return {
    AzureAd: {
      TenantId: 'contoso.onmicrosoft.com',
      ClientId: CLIENT_ID,
      ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: SECRET }],
    },
  };
}

/**
 * {@link base} with `AzureAd` keys changed; a key patched to `undefined` is removed.
 *
 * @example
 * ```ts
 * withAzureAd({ TenantId: undefined, Authority: 'https://login.microsoftonline.com/common' });
 * ```
 */
export function withAzureAd(patch: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const input = base();
  input.AzureAd = { ...input.AzureAd, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete input.AzureAd[key];
  return input;
}

/**
 * Runs `normalizeOptions` with only `env` as environment, collecting warnings; the
 * generated-session-secret warning, which the session spec tests, is left out.
 *
 * @example
 * ```ts
 * const { options, warnings } = normalize(base(), { NODE_ENV: 'production' });
 * ```
 */
export function normalize(input: unknown, env: Record<string, string> = {}) {
  const warnings: string[] = [];
  const options = normalizeOptions(input as IdentityWebModuleInput, env, {
    warn: (m: string) => warnings.push(m),
  });
  return { options, warnings: warnings.filter((w) => !w.includes('using a random secret')) };
}

/**
 * The lines of the `OptionsValidationError` that normalising `input` must throw.
 *
 * @example
 * ```ts
 * expect(problems({ AzureAd: {} })).toContainEqual(expect.stringMatching(/^AzureAd:ClientId is required/));
 * ```
 */
export function problems(input: unknown, env: Record<string, string> = {}): string[] {
  try {
    normalize(input, env);
  } catch (err) {
    expect(err).toBeInstanceOf(OptionsValidationError);
    expect(err).toBeInstanceOf(InvalidConfigurationError);
    expect((err as OptionsValidationError).code).toBe('invalid_configuration');
    return (err as Error).message.split('\n');
  }
  throw new Error('expected a configuration error');
}
