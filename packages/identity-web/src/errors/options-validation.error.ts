import { InvalidConfigurationError } from './invalid-configuration.error';

/**
 * One thing wrong (or worth a warning) in the configuration, by key path.
 *
 * @example
 * ```ts
 * { path: 'AzureAd:ClientId', message: 'is required: the application (client) ID of the app registration (a GUID).' }
 * ```
 */
export interface ConfigurationProblem {
  /** Configuration-form key path, e.g. `AzureAd:ClientCredentials:0:ClientSecret`. */
  path: string;
  /** What is wrong and what was expected; follows the path in the error message. */
  message: string;
}

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
