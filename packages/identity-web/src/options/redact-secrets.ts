import { inspect } from 'node:util';
import type { ResolvedIdentityWebOptions } from './module-options';

/** What printed options show instead of a secret. */
export const REDACTED = '[redacted]';

/** Keys of a credential description that are secrets. */
const CREDENTIAL_SECRETS = ['clientSecret', 'certificatePassword', 'base64EncodedValue'];

/**
 * Makes `target` print without its `secretKeys`: `util.inspect` (so `console.log`) and
 * `JSON.stringify` show {@link REDACTED} instead, while reading the property still gives the value.
 * The hooks are non-enumerable, so copies and `Object.keys` see only the data.
 *
 * @example
 * ```ts
 * const credential = hideSecretsWhenPrinted({ sourceType: 'ClientSecret', clientSecret: 's3cr3t' }, ['clientSecret']);
 * JSON.stringify(credential); // '{"sourceType":"ClientSecret","clientSecret":"[redacted]"}'
 * credential.clientSecret;     // 's3cr3t'
 * ```
 */
export function hideSecretsWhenPrinted<T extends object>(target: T, secretKeys: readonly string[]): T {
  const printable = (): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...(target as Record<string, unknown>) };
    for (const key of secretKeys) if (copy[key] !== undefined) copy[key] = REDACTED;
    return copy;
  };
  Object.defineProperty(target, 'toJSON', { value: printable, enumerable: false });
  Object.defineProperty(target, inspect.custom, { value: printable, enumerable: false });
  return target;
}

/**
 * Hides every secret of the normalised options when they are printed or serialised: client
 * secrets, certificate passwords and Base64 certificates (which carry a private key), and the
 * session secret.
 *
 * @example
 * ```ts
 * console.log(hideOptionSecrets(options)); // ... clientSecret: '[redacted]' ...
 * ```
 */
export function hideOptionSecrets<T extends ResolvedIdentityWebOptions>(options: T): T {
  for (const credential of options.azureAd?.clientCredentials ?? []) {
    hideSecretsWhenPrinted(credential, CREDENTIAL_SECRETS);
  }
  if (options.session) hideSecretsWhenPrinted(options.session, ['secret']);
  return options;
}
