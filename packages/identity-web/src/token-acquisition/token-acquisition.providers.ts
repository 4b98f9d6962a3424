import type { Provider } from '@nestjs/common';

/** Providers of the token acquisition and token cache parts, registered by IdentityWebModule. */
export const tokenAcquisitionProviders: Provider[] = [];
