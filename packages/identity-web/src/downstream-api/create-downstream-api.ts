import type { IdentityWebOptions } from '../options/identity-web.options';
import type { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import { AuthorizationHeaderProvider } from './authorization-header.provider';
import { DownstreamApiService } from './downstream-api.service';
import { DownstreamTransports } from './downstream-transports';

/** The downstream API part, wired without Nest's container; `close()` ends its kept-alive connections. */
export interface DownstreamApiParts {
  readonly authorizationHeaders: AuthorizationHeaderProvider;
  readonly downstreamApi: DownstreamApiService;
  close(): Promise<void>;
}

/**
 * Builds `DownstreamApiService` and `AuthorizationHeaderProvider` over a token acquisition
 * service, as the module does: for the Express entry point and workers.
 *
 * @example
 * ```ts
 * const { downstreamApi, close } = createDownstreamApi(options, tokens);
 * await downstreamApi.getForApp('TodoList', { relativePath: 'api/health' });
 * await close();
 * ```
 */
export function createDownstreamApi(
  options: IdentityWebOptions,
  tokens: TokenAcquisitionService,
): DownstreamApiParts {
  const authorizationHeaders = new AuthorizationHeaderProvider(tokens);
  const transports = new DownstreamTransports();
  const downstreamApi = new DownstreamApiService(options, authorizationHeaders, transports);
  return { authorizationHeaders, downstreamApi, close: () => transports.close() };
}
