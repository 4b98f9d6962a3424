export { startEmulator } from './start-emulator';
export type { EmulatorOptions, RunningEmulator } from './emulator-options';
export { EmulatorControl } from './control/emulator-control';
export { Directory } from './directory/directory';
export { OIDC_SCOPES } from './directory/scope-request';
export type {
  App,
  AppConfig,
  ConditionalAccessPolicy,
  ConsentConfig,
  DirectoryConfig,
  GrantConfig,
  Tenant,
  TenantConfig,
  User,
  UserConfig,
} from './directory/directory.types';
export {
  DEFAULT_APPS,
  DEFAULT_PASSWORD,
  DEFAULT_TENANTS,
  DEFAULT_TENANT_ID,
  DEFAULT_USERS,
  GRAPH_APP_ID,
  GRAPH_RESOURCE,
  MFA_CODE,
  SECOND_TENANT_ID,
  STORAGE_APP_ID,
  STORAGE_RESOURCE,
  WELL_KNOWN_RESOURCES,
} from './directory/default-directory';
export { SEEDED_MESSAGE_COUNT } from './graph/graph-mailbox';
export type { GraphMessage, SentMail } from './graph/graph-mailbox';
export type { FaultSpec } from './state/fault-injector';
export type { CounterSnapshot } from './state/request-counters';
export type { EndpointName } from './http/router';
export { EntraError } from './errors/entra-error';
export type { EntraErrorCode, EntraErrorDetails } from './errors/entra-error';
export { ensureKeyMaterial, resolveHomeDir } from './certificates/certificate-store';
export { writeCaBundle } from './certificates/ca-bundle';
