import { HttpService } from '@nestjs/axios';
import type { OnModuleDestroy } from '@nestjs/common';
import axios from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * The axios settings of the library's own HTTP client for downstream APIs: connections kept
 * alive and reused, in agents of its own, so app-wide axios defaults or interceptors never see
 * the library's token-bearing requests.
 *
 * @example
 * ```ts
 * const client = new HttpService(axios.create(downstreamHttpOptions()));
 * ```
 */
export function downstreamHttpOptions(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
}

/**
 * The `@nestjs/axios` client `DownstreamApiService` sends with: private to the library (the
 * app's own `HttpService` is another instance), its kept-alive sockets closed when the app
 * shuts down.
 */
export class DownstreamHttpService extends HttpService implements OnModuleDestroy {
  private readonly agents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent };

  constructor() {
    const agents = downstreamHttpOptions();
    super(axios.create(agents) as unknown as ConstructorParameters<typeof HttpService>[0]);
    this.agents = agents;
  }

  onModuleDestroy(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
