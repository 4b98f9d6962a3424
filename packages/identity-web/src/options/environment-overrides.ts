import { cloneTree, findKey, isPlainObject, splitKeyPath } from './configuration-tree';
import { namedSectionRoots } from './section-names';

/** The top-level sections environment variables override, besides those `azureAdSection` and `downstreamApiSections` name. */
export const OVERRIDABLE_SECTIONS = ['AzureAd', 'DownstreamApis', 'DownstreamApi', 'IdentityWeb'] as const;

/**
 * Applies environment variables such as `AzureAd__ClientId` or `DownstreamApis__TodoList__Scopes__0`
 * to a copy of `tree`, as .NET's environment configuration provider does: names are
 * case-insensitive, `__` (or `:`) separates keys, a numeric key addresses an array element (the
 * other elements stay), and values are strings. Only variables under the sections the library
 * reads are applied (the sections `azureAdSection` and `downstreamApiSections` name included, so
 * `AzureAdB2C__ClientSecret` reaches `AzureAdB2C`); variables are applied in name order so the
 * result does not depend on the environment's ordering. The input is not modified.
 *
 * @example
 * ```ts
 * applyEnvironmentOverrides({ AzureAd: { ClientId: 'a' } }, { AZUREAD__CLIENTID: 'b' });
 * // { AzureAd: { ClientId: 'b' } }
 * ```
 */
export function applyEnvironmentOverrides(
  tree: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const known = applyVariables(cloneTree(tree), env, OVERRIDABLE_SECTIONS);
  const lower = OVERRIDABLE_SECTIONS.map((s) => s.toLowerCase());
  const named = namedSectionRoots(known).filter((root) => !lower.includes(root.toLowerCase()));
  return named.length > 0 ? applyVariables(known, env, named) : known;
}

/**
 * Applies every hierarchical environment variable (`Section__Key`, any section) to a copy of
 * `tree`, as .NET's `AddEnvironmentVariables()` does; variables without `__` (`PATH`, `HOME`) are
 * not configuration keys and are left out.
 *
 * @example
 * ```ts
 * applyAllEnvironmentVariables({}, { ConnectionStrings__Todo: 'Server=db' }); // { ConnectionStrings: { Todo: 'Server=db' } }
 * ```
 */
export function applyAllEnvironmentVariables(
  tree: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  return applyVariables(cloneTree(tree), env, 'all');
}

/** `tree` (already a copy) with the variables under `sections` (`'all'`: every section) applied, in name order. */
function applyVariables(
  tree: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  sections: readonly string[] | 'all',
): Record<string, unknown> {
  let result = tree;
  const lower = sections === 'all' ? [] : sections.map((s) => s.toLowerCase());
  const names = Object.keys(env)
    .filter((name) => env[name] !== undefined)
    .sort();
  for (const name of names) {
    const segments = splitKeyPath(name);
    if (segments.length < 2) continue;
    const index = lower.indexOf(segments[0]!.toLowerCase());
    if (sections !== 'all' && index < 0) continue;
    const root = sections === 'all' ? segments[0]! : sections[index]!;
    result = withValue(result, [root, ...segments.slice(1)], env[name]!) as Record<string, unknown>;
  }
  return result;
}

/**
 * `node` with `value` set at `segments`: objects and arrays are created on the way, existing keys
 * keep their casing, a numeric key under an array sets that element, and a named key under an
 * array turns it into an object holding the elements by index (what .NET would expose).
 */
function withValue(node: unknown, segments: readonly string[], value: string): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return value;
  const isIndex = /^\d+$/.test(head);
  if (Array.isArray(node) && isIndex) {
    const copy = [...node];
    copy[Number(head)] = withValue(node[Number(head)], rest, value);
    return copy;
  }
  if (!Array.isArray(node) && !isPlainObject(node) && isIndex) {
    const created: unknown[] = [];
    created[Number(head)] = withValue(undefined, rest, value);
    return created;
  }
  const copy: Record<string, unknown> = Array.isArray(node) || isPlainObject(node) ? { ...node } : {};
  const key = findKey(copy, head) ?? head;
  copy[key] = withValue(copy[key], rest, value);
  return copy;
}
