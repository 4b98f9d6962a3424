import { InvalidConfigurationError } from '../errors';
import type { ConfigurationProblem } from './options-report';

/**
 * Every problem found in the configuration at start-up, reported at once. Its `message` has one
 * line per problem, each starting with the key path (`AzureAd:ClientId is required: ...`); `path`
 * is the first problem's path and `problems` lists them all. It is an
 * {@link InvalidConfigurationError} (`code` `invalid_configuration`), so one `catch` handles both.
 *
 * @example
 * ```ts
 * try { normalizeOptions({ AzureAd: {} }); }
 * catch (err) {
 *   if (err instanceof OptionsValidationError) console.error(err.problems.map((p) => p.path));
 *   // ['AzureAd:ClientId', 'AzureAd:TenantId', 'AzureAd:ClientCredentials']
 * }
 * ```
 */
export class OptionsValidationError extends InvalidConfigurationError {
  readonly problems: readonly ConfigurationProblem[];

  constructor(problems: readonly ConfigurationProblem[]) {
    const [first = { path: '(root)', message: 'is invalid.' }] = problems;
    super(first.path, first.message);
    this.problems = problems.length > 0 ? [...problems] : [first];
    this.message = this.problems.map((p) => `${p.path} ${p.message}`).join('\n');
  }
}
