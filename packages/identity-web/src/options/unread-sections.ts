/**
 * Hints about top-level sections the library does not read but that look like its own: an app
 * registration under another name (`AzureAdB2C`), or a downstream API in a section of its own
 * (`TodoList`). Other sections (`Logging`, `AllowedHosts`, `ConnectionStrings`...) stay silent.
 */
import { findKey, isPlainObject, splitKeyPath } from './configuration-tree';
import type { SectionReader } from './section-reader';

/** Sections another part of the stack reads: the Graph package reads `MicrosoftGraph` when told to. */
const READ_ELSEWHERE = ['microsoftgraph'];
/** Top-level sections and keys the options themselves are read from. */
const LIBRARY_SECTIONS = ['azuread', 'downstreamapis', 'downstreamapi', 'identityweb'];

function hasKeys(value: unknown, ...keys: string[]): boolean {
  return isPlainObject(value) && keys.every((key) => findKey(value, key) !== undefined);
}

/** A section with a `ClientId` and something naming an authority. */
function looksLikeAppRegistration(value: unknown): boolean {
  return (
    hasKeys(value, 'ClientId') &&
    ['Instance', 'Authority', 'TenantId', 'Domain'].some((key) => hasKeys(value, key))
  );
}

/** A section with a `BaseUrl` and `Scopes` or a `RelativePath`. */
function looksLikeDownstreamApi(value: unknown): boolean {
  return hasKeys(value, 'BaseUrl') && (hasKeys(value, 'Scopes') || hasKeys(value, 'RelativePath'));
}

/**
 * When the app registration section is missing, adds to its "is required" problem the sections
 * that look like one, with the `azureAdSection` that reads them.
 */
export function azureAdSectionHint(
  root: SectionReader,
  azureAdSection: string,
  problemsBefore: number,
): void {
  const candidates = Object.keys(root.values ?? {}).filter(
    (key) => key.toLowerCase() !== azureAdSection.toLowerCase() && looksLikeAppRegistration(root.raw(key)),
  );
  const index = root.report.problems.findIndex((p, i) => i >= problemsBefore && p.path === azureAdSection);
  const problem = root.report.problems[index];
  if (candidates.length === 0 || !problem) return;
  const [first] = candidates;
  root.report.problems[index] = {
    path: problem.path,
    message:
      `${problem.message} This configuration has ${candidates.join(', ')}, which looks like one: ` +
      `set azureAdSection: '${first}' to read it, as AddMicrosoftIdentityWebApp(Configuration, "${first}") does.`,
  };
}

/**
 * Warns about each top-level section that looks like a downstream API (`BaseUrl` with `Scopes` or
 * `RelativePath`) but that nothing reads, naming the `downstreamApiSections` entry that would.
 */
export function warnUnreadApiSections(
  root: SectionReader,
  names: { azureAdSection: string; downstreamApiSections: Readonly<Record<string, string>> },
): void {
  const read = new Set([
    ...LIBRARY_SECTIONS,
    ...READ_ELSEWHERE,
    splitKeyPath(names.azureAdSection)[0]!.toLowerCase(),
    ...Object.values(names.downstreamApiSections).map((path) => splitKeyPath(path)[0]!.toLowerCase()),
  ]);
  for (const key of Object.keys(root.values ?? {})) {
    if (read.has(key.toLowerCase()) || !looksLikeDownstreamApi(root.raw(key))) continue;
    root.report.warn(
      key,
      `looks like a downstream API but nothing reads it: register it with downstreamApiSections: { ${key}: '${key}' }, ` +
        `as AddDownstreamApi("${key}", Configuration.GetSection("${key}")) does.`,
    );
  }
}
