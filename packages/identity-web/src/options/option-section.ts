/** Reading a whole section from its description, and the keys it knows. Internal. */
import { findKey } from './configuration-tree';
import type { Fields } from './option-field';
import type { ReadOf } from './option-types';
import type { SectionReader } from './section-reader';

/**
 * Reads every key of `fields` that has a reader, in order, into their camelCase properties:
 * defaults filled, per-key rules applied, problems reported. Legacy keys (`foldedInto`) and keys
 * without a reader are left to the section's rules.
 */
export function readFields<S extends Fields>(fields: S, section: SectionReader): ReadOf<S> {
  const values: Record<string, unknown> = {};
  for (const [property, field] of Object.entries(fields)) {
    if (field.settings.foldedInto !== undefined || !field.reader) continue;
    const value = field.read(section, property);
    if (value !== undefined) values[property] = value;
  }
  return values as ReadOf<S>;
}

/** The keys `fields` describes, as written in appsettings.json. */
export function knownKeys(fields: Fields): string[] {
  return Object.entries(fields).map(([property, field]) => field.keyOf(property));
}

/**
 * Microsoft.Identity.Web keys of a section that this library does not read, each with why (or
 * `''`): they get a warning of their own rather than the unknown-key one.
 */
export type NotSupported = Readonly<Record<string, string>>;

/**
 * Warns once about each key of `section` that `fields` does not describe: a specific warning for
 * the Microsoft.Identity.Web keys listed in `notSupported`, otherwise "not read", naming a known key
 * it may be a misspelling of.
 */
export function warnUnknownKeys(
  section: SectionReader,
  fields: Fields,
  notSupported: NotSupported = {},
): void {
  const known = knownKeys(fields);
  for (const key of section.unknownKeys(known)) {
    const supportedName = findKey(notSupported, key);
    if (supportedName !== undefined) {
      const reason = notSupported[supportedName];
      section.report.warn(
        section.pathOf(key),
        `is a Microsoft.Identity.Web setting that nest-identity-web does not support${reason ? ` (${reason})` : ''}; it is ignored.`,
      );
      continue;
    }
    const near = closestKey(key, known);
    section.report.warn(
      section.pathOf(key),
      `is not read by nest-identity-web${near ? ` (did you mean ${near}?)` : ''}; it is ignored.`,
    );
  }
}

/** The known key `key` is most likely a misspelling of (at most two edits away), if any. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && distance < candidate.length / 2 && (!best || distance < best.distance)) {
      best = { key: candidate, distance };
    }
  }
  return best?.key;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
