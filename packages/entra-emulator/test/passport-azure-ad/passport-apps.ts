import {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  Res,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, type AddressInfo } from 'node:net';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Request, Response } from 'express';
import session from 'express-session';
import {
  BearerStrategy,
  OIDCStrategy,
  type IBearerStrategyOption,
  type IOIDCStrategyOptionWithoutRequest,
  type ITokenPayload,
} from 'passport-azure-ad';

/**
 * An API whose `GET /claims` answers the claims of a bearer token passport-azure-ad's
 * `BearerStrategy` accepted (401 otherwise), as a NestJS 12 app would use it.
 *
 * @example
 * ```ts
 * const api = await startBearerApi({ identityMetadata, clientID, audience, validateIssuer: true });
 * ```
 */
export async function startBearerApi(options: IBearerStrategyOption): Promise<INestApplication> {
  @Injectable()
  class Strategy extends PassportStrategy(BearerStrategy, 'oauth-bearer') {
    constructor() {
      super({ loggingLevel: 'error', loggingNoPII: true, ...options });
    }
    validate(token: ITokenPayload): ITokenPayload {
      return token;
    }
  }
  @Controller()
  class ClaimsController {
    @Get('claims')
    @UseGuards(AuthGuard('oauth-bearer'))
    claims(@Req() req: Request): unknown {
      return req.user;
    }
  }
  @Module({ controllers: [ClaimsController], providers: [Strategy] })
  class BearerApiModule {}
  const app = await NestFactory.create(BearerApiModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

/**
 * A web app signing users in with passport-azure-ad's `OIDCStrategy` (code flow, client secret,
 * state and nonce in an express-session): `GET /account/signin` starts it, `GET|POST /signin-oidc`
 * finishes it and redirects to `/me`, which answers the ID token's claims kept in the session.
 *
 * @example
 * ```ts
 * const web = await startOidcWebApp((redirectUrl) => ({ identityMetadata, clientID, redirectUrl, ... }));
 * ```
 */
export async function startOidcWebApp(
  options: (redirectUrl: string) => IOIDCStrategyOptionWithoutRequest,
): Promise<INestApplication> {
  let redirectUrl = '';
  @Injectable()
  class Strategy extends PassportStrategy(OIDCStrategy, 'azuread-openidconnect', 8) {
    constructor() {
      super({ loggingLevel: 'error', loggingNoPII: true, ...options(redirectUrl) });
    }
    // iss, sub, profile, jwtClaims, access_token, refresh_token, params
    validate(...args: unknown[]): unknown {
      return args[3];
    }
  }
  @Injectable()
  class OidcGuard extends AuthGuard('azuread-openidconnect') {}
  @Controller()
  class AccountController {
    @Get('account/signin')
    @UseGuards(OidcGuard)
    signIn(): void {
      // the guard redirects to the identity provider
    }
    @Get('signin-oidc')
    @UseGuards(OidcGuard)
    callback(@Req() req: Request & { session: { claims?: unknown } }, @Res() res: Response): void {
      req.session.claims = req.user;
      res.redirect('/me');
    }
    @Get('me')
    me(@Req() req: Request & { session: { claims?: unknown } }): unknown {
      return req.session.claims ?? {};
    }
  }
  @Module({ controllers: [AccountController], providers: [Strategy] })
  class OidcAppModule {}
  // The strategy reads its redirect URL when it is built: know the port first.
  const port = await freePort();
  redirectUrl = `http://localhost:${port}/signin-oidc`;
  const app = await NestFactory.create(OidcAppModule, { logger: false });
  app.use(
    session({ secret: 'a-session-secret-for-the-passport-test', resave: false, saveUninitialized: false }),
  );
  await app.listen(port, '127.0.0.1');
  return app;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
