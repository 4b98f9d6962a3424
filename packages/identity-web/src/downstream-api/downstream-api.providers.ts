import type { Provider } from '@nestjs/common';
import { AuthorizationHeaderProvider } from './authorization-header.provider';
import { DownstreamApiService } from './downstream-api.service';

/** Providers of the downstream API part, registered by IdentityWebModule. */
export const downstreamApiProviders: Provider[] = [AuthorizationHeaderProvider, DownstreamApiService];
