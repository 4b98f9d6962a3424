/**
 * Case-insensitive access to a configuration tree, the way .NET configuration resolves keys:
 * `AzureAd:ClientId`, `azureAd.clientId` and `AZUREAD__CLIENTID` all name the same value.
 * Internal: the public face is `IdentityWebConfiguration`.
 */

/** A JSON-like object (not a class instance such as a session store). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The key of `section` equal to `key` ignoring case (the first one, in insertion order). */
export function findKey(section: Record<string, unknown>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(section, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(section).find((k) => k.toLowerCase() === lower);
}

/** Splits a key path on `:` (configuration form) or `__` (environment form), dropping empty segments. */
export function splitKeyPath(path: string): string[] {
  return path.split(/:|__/).filter((segment) => segment !== '');
}

/** One step down: an object key (any casing) or an array index. */
export function child(node: unknown, segment: string): unknown {
  if (Array.isArray(node)) return /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
  if (!isPlainObject(node)) return undefined;
  const key = findKey(node, segment);
  return key === undefined ? undefined : node[key];
}

/** The value at `segments`, or `undefined`. */
export function getAt(node: unknown, segments: readonly string[]): unknown {
  let current = node;
  for (const segment of segments) {
    current = child(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * A plain object holding only data. One with methods (a store written as an object literal) is a
 * collaborator, not configuration: it is shared as is, never copied or frozen.
 */
function isDataObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && !Object.values(value).some((v) => typeof v === 'function');
}

/** A deep copy of data objects and arrays; anything else (stores, class instances) is shared. */
export function cloneTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneTree(item)) as T;
  if (isDataObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cloneTree(item);
    return copy as T;
  }
  return value;
}

/** Freezes data objects and arrays deeply, leaving stores and class instances alone. */
export function freezeTree<T>(value: T): T {
  if (Array.isArray(value) || isDataObject(value)) {
    for (const item of Object.values(value)) freezeTree(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * `overlay` laid over `base` as .NET layers configuration files: keys match case-insensitively
 * (the base's spelling is kept), sections merge key by key, arrays merge element by element (a
 * shorter array in the overlay keeps the base's later elements, as index keys do in .NET), and
 * any other value in the overlay replaces the base's. Neither input is modified.
 */
export function overlayTree(base: unknown, overlay: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(overlay)) {
    const merged: unknown[] = base.map((item) => cloneTree(item));
    overlay.forEach(
      (item: unknown, i) => (merged[i] = i < base.length ? overlayTree(base[i], item) : cloneTree(item)),
    );
    return merged;
  }
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const merged = cloneTree(base);
    for (const [key, value] of Object.entries(overlay)) {
      const target = findKey(merged, key) ?? key;
      merged[target] = Object.hasOwn(merged, target) ? overlayTree(merged[target], value) : cloneTree(value);
    }
    return merged;
  }
  return cloneTree(overlay);
}
