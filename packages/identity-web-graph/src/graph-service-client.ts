import type { Client } from '@microsoft/microsoft-graph-client';

/**
 * The Microsoft Graph client the module provides, and its injection token: a
 * `@microsoft/microsoft-graph-client` `Client` whose requests carry the signed-in user's token
 * (or the app's), with claims challenges answered and token errors (`ChallengeUserException`...)
 * rethrown as they are, so the consent round trip runs.
 *
 * @example
 * ```ts
 * @Controller('profile')
 * export class ProfileController {
 *   constructor(private readonly graph: GraphServiceClient) {}
 *   @Get() me() { return this.graph.api('/me').get(); }
 * }
 * ```
 */
// Class and interface share the name on purpose: the class is the token (and what decorator
// metadata names), the interface gives the type every member of `Client`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class GraphServiceClient {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface GraphServiceClient extends Client {}
