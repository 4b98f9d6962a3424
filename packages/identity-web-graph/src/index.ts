// Module
export { IdentityWebGraphModule } from './identity-web-graph.module';
export { IDENTITY_WEB_GRAPH_MODULE_OPTIONS } from './identity-web-graph.module-definition';
export type {
  IdentityWebGraphForRootAsyncOptions,
  IdentityWebGraphForRootOptions,
} from './identity-web-graph.module-definition';

// Options
export { IdentityWebGraphOptions } from './graph.options';
export type { IdentityWebGraphModuleOptions } from './graph.options';
export { DEFAULT_GRAPH_SECTION, MICROSOFT_GRAPH_HOSTS, resolveGraphOptions } from './resolve-graph-options';

// The client and its parts
export { GraphServiceClient } from './graph-service-client';
export { createGraphServiceClient } from './graph-client.factory';
export { GraphAuthenticationProvider } from './graph-authentication.provider';
export { graphTokenOptions } from './graph-token.options';
export type { GraphTokenOptions } from './graph-token.options';
export { ClaimsChallengeHandler } from './claims-challenge.handler';
export { RequestTimeoutHandler } from './request-timeout.handler';
