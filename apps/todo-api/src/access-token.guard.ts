import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { TodoApiSettings } from './todo-api.settings';

/** The caller, as the access token describes it. */
export interface Caller {
  /** Object id of the user, or of the calling app for app tokens. */
  oid: string;
  /** Delegated scopes (`scp`), empty for app tokens. */
  scopes: string[];
  /** App roles (`roles`), for app tokens. */
  roles: string[];
}

/** Requests the guard let through carry their caller. */
export type AuthenticatedRequest = Request & { caller: Caller };

/**
 * Accepts only access tokens issued by the configured authority for this API: signature
 * against the authority's keys, issuer, audience, lifetime, and either the `access_as_user`
 * scope or the `Todo.ReadWrite.All` app role.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: TodoApiSettings) {
    this.keys = createRemoteJWKSet(new URL(settings.jwksUri));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    const [scheme, token] = (request.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw this.unauthorized(response, 'invalid_request', 'no bearer token');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audiences,
        algorithms: ['RS256'],
      }));
    } catch {
      throw this.unauthorized(response, 'invalid_token', 'the access token is invalid');
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    const roles = Array.isArray(payload.roles) ? (payload.roles as string[]) : [];
    if (!scopes.includes('access_as_user') && !roles.includes('Todo.ReadWrite.All')) {
      throw new ForbiddenException('access_as_user scope or Todo.ReadWrite.All role required');
    }
    request.caller = { oid: String(payload.oid ?? payload.sub), scopes, roles };
    return true;
  }

  private unauthorized(response: Response, error: string, description: string): UnauthorizedException {
    response.set('WWW-Authenticate', `Bearer error="${error}", error_description="${description}"`);
    return new UnauthorizedException(description);
  }
}
