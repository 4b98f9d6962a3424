/** Reading a whole section from its description, and the keys it knows. Internal. */
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

/** Warns about each key of `section` that `fields` does not describe. */
export function warnUnknownKeys(section: SectionReader, fields: Fields): void {
  for (const key of section.unknownKeys(knownKeys(fields))) {
    section.report.warn(section.pathOf(key), 'is not read by nest-identity-web; it is ignored.');
  }
}
