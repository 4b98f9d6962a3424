import type { ResolvedIdentityWebOptions } from './module-options';

// Gives the class the resolved options' members, derived from the section descriptions, without listing them again.
const ResolvedOptions = Object as unknown as abstract new () => Readonly<ResolvedIdentityWebOptions>;

/**
 * The validated, normalised options, injectable anywhere in the app. The abstract class doubles
 * as the Nest injection token; each section's validated type is `IdentityWebOptions['azureAd']`,
 * `IdentityWebOptions['session']`...
 *
 * @example
 * ```ts
 * constructor(private readonly options: IdentityWebOptions) {}
 * ```
 */
export abstract class IdentityWebOptions extends ResolvedOptions {}
