/**
 * Which configuration sections hold the app registration and the downstream APIs when the app
 * named them itself, as Microsoft.Identity.Web apps do in code: `AddMicrosoftIdentityWebApp(
 * Configuration, "AzureAdB2C")` is `azureAdSection: 'AzureAdB2C'`, and `AddDownstreamApi("TodoList",
 * Configuration.GetSection("TodoList"))` is `downstreamApiSections: { TodoList: 'TodoList' }`. Given
 * in code at the top level, or as `IdentityWeb:AzureAdSection` / `IdentityWeb:DownstreamApiSections`.
 */
import { findKey, getAt, isPlainObject, splitKeyPath } from './configuration-tree';
import type { FieldAt } from './option-field';
import { string, stringMap } from './option-kinds';

/** A key path such as `AzureAdB2C` or `Apis:TodoList` (`__` accepted), in `:` form. */
function keyPath(value: string, at: FieldAt): string | undefined {
  const segments = splitKeyPath(value.trim());
  if (segments.length === 0 || segments.some((s) => !/^[\w.$-]+$/.test(s))) {
    at.section.report.error(
      at.path,
      `must be a configuration key path such as 'AzureAdB2C' or 'Apis:TodoList'${at.got(value)}.`,
    );
    return undefined;
  }
  return segments.join(':');
}

/** The keys naming sections, read before the sections they name. */
export const SECTION_NAMES = {
  /**
   * Key path of the section holding the app registration, for apps that do not call it `AzureAd`
   * (B2C apps often use `AzureAdB2C`). Default `AzureAd`.
   */
  azureAdSection: string({ rule: keyPath }).default('AzureAd'),
  /**
   * Downstream APIs kept in sections of their own: API name → key path of its section, e.g.
   * `{ TodoList: 'TodoList', GraphAPI: 'MicrosoftGraph' }`. Each is registered under its name, as
   * if it were `DownstreamApis:<name>`.
   */
  downstreamApiSections: stringMap({
    rule: (map, at) => {
      const paths: Record<string, string> = {};
      for (const [name, path] of Object.entries(map)) {
        const checked = keyPath(path, { ...at, path: `${at.path}:${name}` });
        if (checked !== undefined) paths[name] = checked;
      }
      return paths;
    },
  }).default({}),
};

/**
 * The top-level sections `tree` names through `azureAdSection` and `downstreamApiSections` (at the
 * top level or under `IdentityWeb`, any casing), so environment variables can reach them too.
 */
export function namedSectionRoots(tree: Readonly<Record<string, unknown>>): string[] {
  const roots = new Set<string>();
  const places = [tree, getAt(tree, ['IdentityWeb'])].filter(isPlainObject);
  for (const place of places) {
    const azureAd = place[findKey(place, 'azureAdSection') ?? ''];
    if (typeof azureAd === 'string') roots.add(splitKeyPath(azureAd)[0] ?? '');
    const apis = place[findKey(place, 'downstreamApiSections') ?? ''];
    if (isPlainObject(apis)) {
      for (const path of Object.values(apis))
        if (typeof path === 'string') roots.add(splitKeyPath(path)[0] ?? '');
    }
  }
  roots.delete('');
  return [...roots];
}
