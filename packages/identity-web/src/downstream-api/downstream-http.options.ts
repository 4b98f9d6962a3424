import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * The axios settings of the library's own HTTP client for downstream APIs: connections kept
 * alive and reused, in agents of its own, so app-wide axios defaults or interceptors never see
 * the library's token-bearing requests.
 *
 * @example
 * ```ts
 * HttpModule.register(downstreamHttpOptions());
 * ```
 */
export function downstreamHttpOptions(): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return { httpAgent: new HttpAgent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) };
}
