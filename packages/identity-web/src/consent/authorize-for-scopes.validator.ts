import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InvalidConfigurationError } from '../errors';
import { IdentityWebConfiguration } from '../options/identity-web.configuration';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AUTHORIZE_FOR_SCOPES, type AuthorizeForScopesOptions } from './authorize-for-scopes.options';

/**
 * Checks at start-up that every `@AuthorizeForScopes('<key section>')` in the app points at
 * scopes in configuration, so a typo stops the app instead of failing on a user's first
 * consent round trip; and that every downstream API has a `BaseUrl`, unless an
 * `@AuthorizeForScopes` uses its section for scopes only (else its first call failed with a 500).
 */
@Injectable()
export class AuthorizeForScopesValidator implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly configuration: IdentityWebConfiguration,
    private readonly options: IdentityWebOptions,
  ) {}

  /** Key sections the app's `@AuthorizeForScopes` name, lower-cased. */
  private readonly scopeKeySections = new Set<string>();

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type?.prototype) continue;
      this.check(this.reflector.get<AuthorizeForScopesOptions>(AUTHORIZE_FOR_SCOPES, type));
      for (const name of this.scanner.getAllMethodNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler === 'function') {
          this.check(this.reflector.get<AuthorizeForScopesOptions>(AUTHORIZE_FOR_SCOPES, handler));
        }
      }
    }
    this.checkBaseUrls();
  }

  private check(options: AuthorizeForScopesOptions | undefined): void {
    if (!options?.scopeKeySection) return;
    this.configuration.getScopes(options.scopeKeySection);
    this.scopeKeySections.add(options.scopeKeySection.toLowerCase());
  }

  /** A downstream API without `BaseUrl` is refused unless it only gives scopes to `@AuthorizeForScopes`. */
  private checkBaseUrls(): void {
    const sections = this.options.downstreamApiSections ?? {};
    for (const [name, api] of Object.entries(this.options.downstreamApis ?? {})) {
      if (api.baseUrl) continue;
      const path = sections[name] ?? (name === 'DownstreamApi' ? 'DownstreamApi' : `DownstreamApis:${name}`);
      const prefix = `${path.toLowerCase()}:`;
      if ([...this.scopeKeySections].some((k) => k.startsWith(prefix))) continue;
      throw new InvalidConfigurationError(
        `${path}:BaseUrl`,
        `is required: the API's address, such as 'https://graph.microsoft.com/v1.0'. An entry without one ` +
          `may only give scopes to @AuthorizeForScopes('${path}:Scopes'), and none uses it.`,
      );
    }
  }
}
