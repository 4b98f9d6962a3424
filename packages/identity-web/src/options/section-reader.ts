/**
 * Typed readers for configuration values, used by the section descriptions. Each one accepts the
 * forms a JSON file, `ConfigService` or an environment variable produce (`"true"`, `"30"`, a
 * space-separated list), returns the normalised value, and records a problem naming the key path
 * when the value is unusable. Internal.
 */
import { findKey, isPlainObject, splitKeyPath } from './configuration-tree';
import { got } from './got';
import type { OptionsReport } from './options-report';

/** What {@link SectionReader.url} accepts and how it words its messages. */
export interface UrlRules {
  /** Completes "must be ...", e.g. `an absolute https URL such as https://login.microsoftonline.com/`. */
  expected: string;
  /** Plain http off loopback hosts: refused, or accepted with a warning. */
  httpElsewhere: 'error' | 'warn';
  /** Warning for plain http on a loopback host; none when absent. */
  httpLocalWarning?: string;
}

/** `localhost`, `*.localhost` and loopback addresses: where plain http is acceptable. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** A section being read: its (case-insensitive) values and its key path. */
export class SectionReader {
  constructor(
    readonly values: Record<string, unknown> | undefined,
    readonly path: string,
    readonly report: OptionsReport,
    /** The environment: `NODE_ENV`, and fallbacks such as `AZURE_FEDERATED_TOKEN_FILE`. */
    readonly env: Readonly<Record<string, string | undefined>> = {},
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
    return new SectionReader(value, this.pathOf(key), this.report, this.env);
  }

  /** The section at a key path below this one (`Apis:TodoList`); a step that is not a section is reported. */
  sectionAt(keyPath: string): SectionReader | undefined {
    const [first, ...rest] = splitKeyPath(keyPath);
    const next = first === undefined ? undefined : this.section(first);
    return rest.length === 0 || !next ? next : next.sectionAt(rest.join(':'));
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

  /**
   * An absolute URL, returned as written; an empty string is refused. `https` always; `http` on loopback hosts (with
   * `httpLocalWarning`, when given); `http` elsewhere only when `httpElsewhere` is `'warn'`.
   */
  url(key: string, rules: UrlRules): string | undefined {
    const raw = this.raw(key);
    // An empty URL is a mistake, not "use the default": an empty Instance meant the public cloud.
    if (typeof raw === 'string' && raw.trim() === '') {
      this.report.error(this.pathOf(key), `is empty: give ${rules.expected}, or leave the key out.`);
      return undefined;
    }
    const text = this.string(key);
    if (text === undefined) return undefined;
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
      this.report.error(this.pathOf(key), `must be ${rules.expected}${got(text)}.`);
      return undefined;
    }
    if (url.protocol === 'https:') return text;
    if (isLoopbackHost(url.hostname)) {
      if (rules.httpLocalWarning) this.report.warn(this.pathOf(key), rules.httpLocalWarning);
      return text;
    }
    if (rules.httpElsewhere === 'warn') {
      this.report.warn(this.pathOf(key), `uses plain http outside localhost${got(text)}: use https.`);
      return text;
    }
    this.report.error(
      this.pathOf(key),
      `must use https (plain http is accepted only for localhost)${got(text)}.`,
    );
    return undefined;
  }

  /** A path beginning with one `/`, without its trailing slash (`/` stays `/`); `fallback` when unusable. */
  appPath(key: string, fallback: string): string {
    const value = this.string(key);
    if (value === undefined) return fallback;
    if (!value.startsWith('/') || value.startsWith('//') || /[\s\\?#]/.test(value)) {
      this.report.error(
        this.pathOf(key),
        `must be a path starting with a single '/', without query or spaces, such as '${fallback}'${got(value)}.`,
      );
      return fallback;
    }
    return value.length > 1 ? value.replace(/\/+$/, '') : value;
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
function arrayOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => /^\d+$/.test(k))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
}
