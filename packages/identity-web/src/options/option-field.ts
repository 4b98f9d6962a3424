/**
 * One configuration key of a section description: how it is read, what it defaults to, whether
 * it is required, how its value may be shown. The section's types derive from these values
 * (`option-types.ts`). Internal.
 */
import { cloneTree } from './configuration-tree';
import { got } from './got';
import type { SectionReader } from './section-reader';

/**
 * Where a key shows in the derived types. In the input only `required` keys are required; once
 * resolved, `required`, `defaulted` (a default, or a section read even when absent) and `derived`
 * (a rule of the section sets it) keys are always there, `optional` ones may be missing, and
 * `inputOnly` ones (legacy keys a rule folds into another key) are gone.
 */
export type Presence = 'required' | 'defaulted' | 'derived' | 'optional' | 'inputOnly';

/** What a per-key rule sees besides the value. */
export interface FieldAt {
  readonly section: SectionReader;
  /** Its configuration key path, e.g. `AzureAd:TenantId`. */
  readonly path: string;
  /** ` (got …)` for a message about this key, its display rules applied. */
  got(value: unknown): string;
}

/** How a key is read and shown; presence is set with the {@link Field} methods. */
export interface FieldOptions<Out> {
  /** The key as written in appsettings.json, when it is not the property name capitalised. */
  readonly key?: string;
  /** Messages never show the value, only its length. */
  readonly secret?: true;
  /** Messages show only the value's first characters (a secret is often pasted here by mistake). */
  readonly prefixOnly?: true;
  /** A check of this key alone: may report, and returns the value to keep. */
  rule?(value: Out, at: FieldAt): Out | undefined;
}

interface Settings<Out> extends FieldOptions<Out> {
  readonly required?: string;
  readonly default?: Out;
  readonly foldedInto?: string;
}

/**
 * Reads the value at `key`, reporting a malformed one (never showing it when `secret`);
 * `undefined` when absent or unusable.
 */
export type FieldReader<Out> = (section: SectionReader, key: string, secret: boolean) => Out | undefined;

/**
 * One key of a section: `In` is what a user writes, `Out` what the validated options hold. A key
 * without a reader (an array of credentials) is read by a rule of its section.
 */
export class Field<In, Out, P extends Presence = 'optional'> {
  /** Types only, never set: what the type derivation reads. */
  declare readonly types?: { readonly input: In; readonly resolved: Out; readonly presence: P };

  constructor(
    readonly kind: string,
    readonly settings: Settings<Out> = {},
    readonly reader?: FieldReader<Out>,
  ) {}

  /** Required, with what the key is for: completes "is required: ...". */
  required(why: string): Field<In, Out, 'required'> {
    return new Field(this.kind, { ...this.settings, required: why }, this.reader);
  }

  /** The value when the key is absent (each resolution gets its own copy). */
  default(value: Out): Field<In, Out, 'defaulted'> {
    return new Field(this.kind, { ...this.settings, default: value }, this.reader);
  }

  /** Always set once resolved: a rule of the section derives it (from this key and others). */
  derived(): Field<In, Out, 'derived'> {
    return new Field(this.kind, this.settings, this.reader);
  }

  /** A legacy key that a rule of the section folds into `key`; not in the resolved options. */
  foldedInto(key: string): Field<In, Out, 'inputOnly'> {
    return new Field(this.kind, { ...this.settings, foldedInto: key }, this.reader);
  }

  /** The key as written in appsettings.json (`clientId` → `ClientId`). */
  keyOf(property: string): string {
    return this.settings.key ?? property.charAt(0).toUpperCase() + property.slice(1);
  }

  /**
   * Reads the key: its kind's reader, then its rule, then its default. A missing required key is
   * reported. `undefined` when the key is absent (or `""`) or unusable and has no default.
   */
  read(section: SectionReader, property: string): Out | undefined {
    const { required, rule, secret, prefixOnly } = this.settings;
    const key = this.keyOf(property);
    const problemsBefore = section.report.problems.length;
    let value = this.reader?.(section, key, secret === true);
    // Missing is "nothing usable and nothing wrong": a malformed value has its own message.
    if (value === undefined && required !== undefined && section.report.problems.length === problemsBefore) {
      section.report.error(section.pathOf(key), `is required: ${required}`);
    }
    if (value !== undefined && rule) {
      const path = section.pathOf(key);
      value = rule(value, { section, path, got: (shown) => got(shown, { secret, prefixOnly }) });
    }
    return value ?? cloneTree(this.settings.default);
  }
}

/** Any field: what section descriptions hold. */
export type AnyField = Field<unknown, unknown, Presence>;

/** A section description: its keys by property name (camelCase), in reading order. */
export type Fields = Readonly<Record<string, AnyField>>;
