import { HttpService } from '@nestjs/axios';
import type { OnModuleDestroy } from '@nestjs/common';
import axios from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';

type ConnectionOptions = Record<string, unknown>;
type ConnectionCallback = (err: Error | null, socket: Duplex) => void;

/**
 * Node's agents hand the whole request options, headers included, to the socket they open, and
 * `NODE_DEBUG=net,tls,https` prints them: a connection needs none of the request's headers.
 */
function withoutRequestHeaders({
  headers: _headers,
  auth: _auth,
  ...connection
}: ConnectionOptions): ConnectionOptions {
  return connection;
}

class QuietHttpAgent extends HttpAgent {
  override createConnection(options: ConnectionOptions, callback?: ConnectionCallback): Duplex {
    return (
      HttpAgent.prototype.createConnection as (o: ConnectionOptions, c?: ConnectionCallback) => Duplex
    ).call(this, withoutRequestHeaders(options), callback);
  }
}

class QuietHttpsAgent extends HttpsAgent {
  override createConnection(options: ConnectionOptions, callback?: ConnectionCallback): Duplex {
    return (
      HttpsAgent.prototype.createConnection as (o: ConnectionOptions, c?: ConnectionCallback) => Duplex
    ).call(this, withoutRequestHeaders(options), callback);
  }
}

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
  return {
    httpAgent: new QuietHttpAgent({ keepAlive: true }),
    httpsAgent: new QuietHttpsAgent({ keepAlive: true }),
  };
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
