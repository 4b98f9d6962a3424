import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IdentityWebConfiguration } from '../options/identity-web.configuration';
import { AUTHORIZE_FOR_SCOPES, type AuthorizeForScopesOptions } from './authorize-for-scopes.options';

/**
 * Checks at start-up that every `@AuthorizeForScopes('<key section>')` in the app points at
 * scopes in configuration, so a typo stops the app instead of failing on a user's first
 * consent round trip.
 */
@Injectable()
export class AuthorizeForScopesValidator implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly configuration: IdentityWebConfiguration,
  ) {}

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
  }

  private check(options: AuthorizeForScopesOptions | undefined): void {
    if (options?.scopeKeySection) this.configuration.getScopes(options.scopeKeySection);
  }
}
