/**
 * The kinds of configuration key: each builder returns an optional {@link Field} whose reader
 * accepts the forms JSON, `ConfigService` and environment variables produce. Internal.
 */
import { Field, type Fields, type FieldOptions, type Presence } from './option-field';
import { readFields, warnUnknownKeys, type NotSupported } from './option-section';
import { SectionReader, type UrlRules } from './section-reader';

/** A non-empty string (`allowEmpty` accepts `""`). */
export function string(options: FieldOptions<string> & { allowEmpty?: true } = {}): Field<string, string> {
  const { allowEmpty } = options;
  return new Field('string', options, (section, key, secret) => section.string(key, { secret, allowEmpty }));
}

/** An absolute http(s) URL, returned as written; see {@link UrlRules}. */
export function url(rules: FieldOptions<string> & UrlRules): Field<string, string> {
  return new Field('url', rules, (section, key) => section.url(key, rules));
}

/** An app path such as `/signin-oidc`, trailing slash removed; `fallback` when absent or unusable. */
export function path(fallback: string): Field<string, string, 'defaulted'> {
  return new Field<string, string>('path', {}, (section, key) => section.appPath(key, fallback)).default(
    fallback,
  );
}

/** `true`/`false`, or their strings in any casing. */
export function boolean(options: FieldOptions<boolean> = {}): Field<boolean, boolean> {
  return new Field('boolean', options, (section, key) => section.boolean(key));
}

/** A number (or numeric string) at least `min`; `integer` refuses fractions. */
export function number(
  options: FieldOptions<number> & { min: number; integer?: true },
): Field<number, number> {
  return new Field('number', options, (section, key) => section.number(key, options));
}

/** A list of strings: an array, an index-keyed section, or one space-separated string. */
export function list(options: FieldOptions<string[]> = {}): Field<string[], string[]> {
  return new Field('list', options, (section, key) => section.list(key));
}

/** One of `values`, matched case-insensitively, returned in its canonical spelling. */
export function oneOf<const V extends string>(
  values: readonly V[],
  options: FieldOptions<V> = {},
): Field<V, V> {
  return new Field('oneOf', options, (section, key) => section.oneOf(key, values));
}

/** A section of string values (numbers and booleans become strings). */
export function stringMap(
  options: FieldOptions<Record<string, string>> = {},
): Field<Record<string, string>, Record<string, string>> {
  return new Field('stringMap', options, (section, key) => section.stringMap(key));
}

/** An object given in code (a store), passed through untouched: never copied, checked or frozen. */
export function store(): Field<unknown, unknown> {
  return new Field('store', {}, (section, key) => section.raw(key));
}

/** A value no other kind describes: `read` reports what is wrong with it, and its type is the field's. */
export function custom<V>(
  read: (section: SectionReader, key: string) => V | undefined,
  options: FieldOptions<V> = {},
): Field<V, V> {
  return new Field('custom', options, read);
}

/** Holds only keys whose input type is `In`'s: catches a section typed with another section's type. */
type Describing<In> = { readonly [K in keyof In]-?: Field<Exclude<In[K], undefined>, unknown, Presence> };

/**
 * A section described by `fields`, typed by its named input and resolved types (interfaces that
 * extend `InputOf`/`ResolvedOf` of `fields`, so editors show their names). `resolve` reads it
 * with its cross-field rules; by default its keys alone are read. Keys `fields` does not describe
 * are warned about once, before `resolve` runs (`notSupported`: Microsoft.Identity.Web keys this
 * library does not read, with why).
 */
export function section<In, Out = In>(
  fields: Fields & Describing<In>,
  resolve: (section: SectionReader) => Out = (sub) => readFields(fields, sub) as Out,
  notSupported: NotSupported = {},
): SectionField<In, Out> {
  return new SectionField((sub) => {
    warnUnknownKeys(sub, fields, notSupported);
    return resolve(sub);
  });
}

/** A section-valued key, which may also be read when absent. */
export class SectionField<In, Out> extends Field<In, Out> {
  constructor(private readonly resolve: (section: SectionReader) => Out) {
    super('section', {}, (parent, key) => {
      const sub = parent.section(key);
      return sub && resolve(sub);
    });
  }

  /**
   * Read even when absent, so its defaults apply and the options always hold it. `absentPath` is
   * the key path its messages name then, when not the key's own.
   */
  always(absentPath?: string): Field<In, Out, 'defaulted'> {
    return new Field<In, Out, 'defaulted'>(this.kind, this.settings, (parent, key) => {
      const sub =
        parent.section(key) ??
        new SectionReader({}, absentPath ?? parent.pathOf(key), parent.report, parent.env);
      return this.resolve(sub);
    });
  }

  /** Reads `sub` as this section (unknown keys warned about, then its rules): for a section found elsewhere. */
  readSection(sub: SectionReader): Out {
    return this.resolve(sub);
  }
}

/**
 * A section of named sections described by `fields` (`DownstreamApis:<name>`), each read by
 * `resolve` after its unknown keys are warned about.
 */
export function sectionMap<In, Out = In>(
  fields: Fields & Describing<In>,
  resolve: (section: SectionReader) => Out = (sub) => readFields(fields, sub) as Out,
  notSupported: NotSupported = {},
): Field<Record<string, In>, Record<string, Out>> {
  return new Field('sectionMap', {}, (parent, key) => {
    const map = parent.section(key);
    if (!map) return undefined;
    const resolved: Record<string, Out> = {};
    for (const name of Object.keys(map.values ?? {})) {
      const entry = map.section(name);
      if (!entry) continue;
      warnUnknownKeys(entry, fields, notSupported);
      resolved[name] = resolve(entry);
    }
    return resolved;
  });
}

/**
 * An array of sections described by `fields` (a JSON array, or index-keyed as .NET binds it).
 * Its entries depend on each other (the first usable credential wins), so a rule of the section
 * reads it: it has no reader of its own.
 */
export function array<In, Out = In>(_fields: Fields & Describing<In>): Field<In[], Out[]> {
  return new Field('array');
}
