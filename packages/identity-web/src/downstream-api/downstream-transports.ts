import type { OnModuleDestroy } from '@nestjs/common';
import type { HttpTransport } from '../options/http.section';
import { AxiosTransport } from './axios.transport';
import type { DownstreamTransport } from './downstream-transport';
import { UndiciTransport } from './undici.transport';

/**
 * The transports `DownstreamApiService` chooses from by name (`IdentityWeb:Http:Transport`,
 * `DownstreamApis:<name>:Transport`). Each is created on first use and closed with the module.
 */
export class DownstreamTransports implements OnModuleDestroy {
  private axios?: DownstreamTransport;
  private undici?: DownstreamTransport;

  /** `made` replaces the built-in transports (tests). */
  constructor(private readonly made: Partial<Record<HttpTransport, DownstreamTransport>> = {}) {}

  get(name: HttpTransport): DownstreamTransport {
    if (name === 'undici') return (this.undici ??= this.made.undici ?? new UndiciTransport());
    return (this.axios ??= this.made.axios ?? new AxiosTransport());
  }

  async close(): Promise<void> {
    const open = [this.axios, this.undici];
    this.axios = this.undici = undefined;
    await Promise.all(open.map((transport) => transport?.close()));
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
