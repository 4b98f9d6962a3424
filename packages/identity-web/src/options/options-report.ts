import type { ConfigurationProblem } from '../errors';

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
