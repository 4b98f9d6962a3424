import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Response } from 'express';
import { AZURE_AD_BEARER } from './azure-ad-bearer.strategy';

/**
 * Runs {@link AzureAdBearerStrategy}; a missing or invalid token gets 401 with a
 * `WWW-Authenticate: Bearer` challenge (RFC 6750), a valid one without the scope the strategy's 403.
 */
@Injectable()
export class AzureAdBearerGuard extends AuthGuard(AZURE_AD_BEARER) {
  override handleRequest<TUser>(err: unknown, user: TUser, _info: unknown, context: ExecutionContext): TUser {
    if (err) throw err;
    if (user) return user;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    const sent = /^bearer\s+\S/i.test(request.headers.authorization ?? '');
    const challenge = sent
      ? 'Bearer error="invalid_token", error_description="the access token is invalid"'
      : 'Bearer';
    context.switchToHttp().getResponse<Response>().set('WWW-Authenticate', challenge);
    throw new UnauthorizedException({
      statusCode: 401,
      error: sent ? 'invalid_token' : 'invalid_request',
      message: sent ? 'The access token is invalid.' : 'A bearer access token is required.',
    });
  }
}
