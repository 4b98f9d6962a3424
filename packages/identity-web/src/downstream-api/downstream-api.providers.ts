import type { Provider } from '@nestjs/common';
import { AuthorizationHeaderProvider } from './authorization-header.provider';
import { DownstreamApiService } from './downstream-api.service';
import { DownstreamTransports } from './downstream-transports';

/** Providers of the downstream API part, registered by IdentityWebModule. */
export const downstreamApiProviders: Provider[] = [
  AuthorizationHeaderProvider,
  DownstreamApiService,
  // Private to the library, closed with the module: the app's own HttpService never sees a token.
  { provide: DownstreamTransports, useFactory: () => new DownstreamTransports() },
];
