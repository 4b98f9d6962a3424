/**
 * Typed readers for configuration values, used by the options schema. Each one accepts the forms
 * a JSON file, `ConfigService` or an environment variable produce (`"true"`, `"30"`, a
 * space-separated list), returns the normalised value, and records a problem naming the key path
 * when the value is unusable. Internal.
 */
import { findKey, isPlainObject } from './configuration-tree';

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

/** A section being read: its (case-insensitive) values and its key path. */
export class SectionReader {
  constructor(
    readonly values: Record<string, unknown> | undefined,
    readonly path: string,
    readonly report: OptionsReport,
  ) {}

  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}:${key}`;
  }

  /** The raw value of `key` (any casing); `null` and `undefined` both mean absent. */
  raw(key: string): unknown {
    if (!this.values) return undefined;
    const found = findKey(this.values, key);
    const value = found === undefined ? undefined : this.values[found];
    return value === null ? undefined : value;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  /** A sub-section; a value that is not an object is reported. */
  section(key: string): SectionReader | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (!isPlainObject(value)) {
      this.report.error(this.pathOf(key), `must be a section (an object)${got(value)}.`);
      return undefined;
    }
    return new SectionReader(value, this.pathOf(key), this.report);
  }

  /** Keys of this section that are not in `known` (compared case-insensitively). */
  unknownKeys(known: readonly string[]): string[] {
    const lower = new Set(known.map((k) => k.toLowerCase()));
    return Object.keys(this.values ?? {}).filter((k) => !lower.has(k.toLowerCase()));
  }

  /** A non-empty string; `required` explains the key when it is missing. */
  string(key: string, options: { required?: string; secret?: boolean; allowEmpty?: boolean } = {}) {
    const value = this.raw(key);
    if (value === undefined || (value === '' && !options.allowEmpty)) {
      if (options.required) this.report.error(this.pathOf(key), `is required: ${options.required}`);
      return undefined;
    }
    if (typeof value !== 'string' || (value.trim() === '' && !options.allowEmpty)) {
      this.report.error(this.pathOf(key), `must be a non-empty string${options.secret ? '' : got(value)}.`);
      return undefined;
    }
    return value;
  }

  /** `true`/`false`, or the strings `"true"`/`"false"` in any casing (environment variables). */
  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
      return value.trim().toLowerCase() === 'true';
    }
    this.report.error(this.pathOf(key), `must be true or false${got(value)}.`);
    return undefined;
  }

  /** A number (or numeric string) at least `min`; `integer` refuses fractions. */
  number(key: string, options: { min: number; integer?: boolean }): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (
      typeof parsed !== 'number' ||
      !Number.isFinite(parsed) ||
      parsed < options.min ||
      (options.integer && !Number.isInteger(parsed))
    ) {
      const kind = options.integer ? 'an integer' : 'a number';
      this.report.error(this.pathOf(key), `must be ${kind} of at least ${options.min}${got(value)}.`);
      return undefined;
    }
    return parsed;
  }

  /** One of `values`, matched case-insensitively, returned in its canonical spelling. */
  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const match =
      typeof value === 'string'
        ? values.find((v) => v.toLowerCase() === value.trim().toLowerCase())
        : undefined;
    if (match === undefined)
      this.report.error(this.pathOf(key), `must be one of ${values.join(', ')}${got(value)}.`);
    return match;
  }

  /** A list of non-empty strings: an array, or one string split on whitespace (`"user.read mail.read"`). */
  list(key: string): string[] | undefined {
    const value = arrayOf(this.raw(key)) ?? this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '');
    if (!Array.isArray(value)) {
      this.report.error(this.pathOf(key), `must be an array of strings${got(value)}.`);
      return undefined;
    }
    let ok = true;
    value.forEach((entry, i) => {
      if (typeof entry !== 'string' || entry.trim() === '') {
        this.report.error(`${this.pathOf(key)}:${i}`, `must be a non-empty string${got(entry)}.`);
        ok = false;
      }
    });
    return ok ? (value as string[]).map((s) => s.trim()) : undefined;
  }

  /** An object of string values (numbers and booleans are turned into strings). */
  stringMap(key: string): Record<string, string> | undefined {
    const section = this.section(key);
    if (!section?.values) return undefined;
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(section.values)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        result[name] = String(value);
      } else {
        this.report.error(section.pathOf(name), `must be a string${got(value)}.`);
      }
    }
    return result;
  }

  /** Entries of an array-valued key (a JSON array, or an object keyed `0`, `1`... as .NET binds it). */
  array(key: string): unknown[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const array = arrayOf(value);
    if (!array) this.report.error(this.pathOf(key), `must be an array${got(value)}.`);
    return array;
  }
}

/** An array, or a plain object whose keys are all indices (how .NET configuration stores arrays). */
export function arrayOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => /^\d+$/.test(k))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
}

/** How much of a value {@link got} may show. */
export interface GotOptions {
  /** The key holds a secret: only the value's length is shown. */
  secret?: boolean;
  /**
   * A key where a secret is often pasted by mistake (`ClientId`, `TenantId`): a string shows
   * only its first characters and its length.
   */
  prefixOnly?: boolean;
}

/** Keys whose values are secrets wherever they appear inside a value being shown. */
const SECRET_KEY = /secret|password|base64encodedvalue|assertion|connectionstring|key$/i;
const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX_LENGTH = 3;

/** Shannon entropy of `text`, in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * `true` for a string that looks like a generated secret (a client secret, a key, a token): long,
 * without spaces, with digits, and close to random. URLs, paths and GUIDs are not.
 */
export function looksLikeSecret(text: string): boolean {
  return (
    text.length >= 16 &&
    !/\s/.test(text) &&
    /\d/.test(text) &&
    !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) &&
    !/^\.{0,2}\//.test(text) &&
    !GUID_SHAPE.test(text) &&
    entropy(text) >= 3.9
  );
}

/** `"abc…" (40 characters)`: enough to recognise a value, not to use it. */
function prefixAndLength(text: string): string {
  return `"${text.slice(0, PREFIX_LENGTH)}…" (${text.length} characters)`;
}

/**
 * ` (got …)` for a message. Short, and never a whole secret: a key marked secret shows only the
 * length, a `prefixOnly` key (ClientId, TenantId) and any string that looks like a generated
 * secret show their first characters and length, and inside objects and arrays the values of
 * secret-named keys are `[redacted]`. Anything else is shown as JSON, cut at 60 characters.
 *
 * @example
 * ```ts
 * got('Magic');                                         // ' (got "Magic")'
 * got('Abc8Q~k3D2fGh_jKlMnOpQrStUvWxYz0123456789');   // ' (got "Abc…" (41 characters))'
 * got('my-app', { prefixOnly: true });                 // ' (got "my-…" (6 characters))'
 * ```
 */
export function got(value: unknown, options: GotOptions = {}): string {
  if (typeof value === 'string') {
    if (options.secret) return ` (got a value of ${value.length} characters)`;
    if (options.prefixOnly || looksLikeSecret(value)) return ` (got ${prefixAndLength(value)})`;
  } else if (options.secret) {
    return ` (got a ${Array.isArray(value) ? 'list' : typeof value})`;
  }
  let shown: string;
  try {
    shown =
      JSON.stringify(value, (key, item: unknown) => {
        if (key !== '' && SECRET_KEY.test(key)) return '[redacted]';
        return typeof item === 'string' && looksLikeSecret(item) ? prefixAndLength(item) : item;
      }) ?? String(value);
  } catch {
    shown = String(value);
  }
  return ` (got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
}
