import type { AxiosResponse } from 'axios';
import { DownstreamApiUnavailableError } from '../errors';
import { DownstreamHttpService } from './downstream-http.options';
import {
  ABORTED_CODE,
  flattenHeaders,
  type DownstreamTransport,
  type TransportRequest,
  type TransportResponse,
} from './downstream-transport';

/** Statuses are the service's to judge, bodies its to (de)serialize. */
const ANY_STATUS = (): boolean => true;
const AS_IS = [(data: unknown): unknown => data];

/**
 * Sends with the library's own `@nestjs/axios` client. `maxRedirects: 0` keeps axios on Node's
 * `http` module: `follow-redirects`, which prints request headers under `DEBUG`, never sees a token.
 */
export class AxiosTransport implements DownstreamTransport {
  constructor(private readonly http: DownstreamHttpService = new DownstreamHttpService()) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    let response: AxiosResponse<Buffer>;
    try {
      response = await this.http.axiosRef.request({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        responseType: 'arraybuffer',
        timeout: request.timeoutMs,
        signal: request.signal,
        maxRedirects: 0,
        validateStatus: ANY_STATUS,
        transformRequest: AS_IS,
        transformResponse: AS_IS,
      });
    } catch (err) {
      // Axios errors carry the request config, headers included: never let one escape.
      const code = (err as { code?: unknown }).code;
      throw new DownstreamApiUnavailableError(
        request.method,
        request.url,
        request.signal?.aborted ? ABORTED_CODE : typeof code === 'string' ? code : undefined,
      );
    }
    return {
      status: response.status,
      headers: flattenHeaders(response.headers as Record<string, string | string[]>),
      body: Buffer.isBuffer(response.data) ? response.data : Buffer.from(response.data),
    };
  }

  close(): Promise<void> {
    this.http.onModuleDestroy();
    return Promise.resolve();
  }
}
