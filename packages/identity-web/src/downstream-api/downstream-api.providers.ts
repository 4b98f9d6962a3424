import type { Provider } from '@nestjs/common';
import { AuthorizationHeaderProvider } from './authorization-header.provider';
import { DownstreamApiService } from './downstream-api.service';
import { DownstreamHttpService } from './downstream-http.options';

/** Providers of the downstream API part, registered by IdentityWebModule. */
export const downstreamApiProviders: Provider[] = [
  AuthorizationHeaderProvider,
  DownstreamApiService,
  // A factory: the class inherits HttpService's injected constructor parameter, which it does not take.
  { provide: DownstreamHttpService, useFactory: () => new DownstreamHttpService() },
];
