// Module
export { IdentityWebAzureModule } from './identity-web-azure.module';
export { IDENTITY_WEB_AZURE_MODULE_OPTIONS } from './identity-web-azure.module-definition';
export type {
  IdentityWebAzureForRootAsyncOptions,
  IdentityWebAzureForRootOptions,
} from './identity-web-azure.module-definition';

// Credential
export { MicrosoftIdentityTokenCredential } from './credential/microsoft-identity-token.credential';
export type { MicrosoftIdentityTokenCredentialOptions } from './credential/microsoft-identity-token-credential.options';
