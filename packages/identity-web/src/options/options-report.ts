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

/** Problems and warnings collected while reading, so all of them are reported at once. */
export class OptionsReport {
  readonly problems: ConfigurationProblem[] = [];
  readonly warnings: ConfigurationProblem[] = [];
  error(path: string, message: string): void {
    this.problems.push({ path, message });
  }
  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}
