/**
 * The types a section description gives: what a user writes (camelCase, optional where a default
 * exists) and what the validated options hold. Mapped over the description's own properties, so
 * the TSDoc written on each key shows on both types in editors. Internal.
 */
import type { Fields, Presence } from './option-field';

type InputValue<F> = F extends { readonly types?: { readonly input: infer In } } ? In : never;
type ResolvedValue<F> = F extends { readonly types?: { readonly resolved: infer Out } } ? Out : never;
type PresenceOfField<F> = F extends { readonly types?: { readonly presence: infer P } } ? P : never;

/** The properties of `S` whose presence is one of `P`. */
type KeysWith<S extends Fields, P extends Presence> = {
  [K in keyof S]: [PresenceOfField<S[K]>] extends [P] ? K : never;
}[keyof S];

type InputProps<S extends Fields> = { -readonly [K in keyof S]: InputValue<S[K]> };
type ResolvedProps<S extends Fields> = { -readonly [K in keyof S]: ResolvedValue<S[K]> };

/** Flattens an intersection into one object type (property docs and modifiers kept). */
type Simplify<T> = { [K in keyof T]: T[K] };

/** A section as a user writes it in code: camelCase keys, only the required ones required. */
export type InputOf<S extends Fields> = Simplify<
  Pick<InputProps<S>, KeysWith<S, 'required'>> &
    Partial<Pick<InputProps<S>, KeysWith<S, Exclude<Presence, 'required'>>>>
>;

/** A section once validated: defaults filled, derived keys set, legacy keys folded away. */
export type ResolvedOf<S extends Fields> = Simplify<
  Pick<ResolvedProps<S>, KeysWith<S, 'required' | 'defaulted' | 'derived'>> &
    Partial<Pick<ResolvedProps<S>, KeysWith<S, 'optional'>>>
>;

/** What reading a section's keys gives before its rules run: only defaulted keys are sure to be set. */
export type ReadOf<S extends Fields> = Simplify<
  Pick<ResolvedProps<S>, KeysWith<S, 'defaulted'>> &
    Partial<Pick<ResolvedProps<S>, KeysWith<S, 'required' | 'derived' | 'optional'>>>
>;
