import { ApiException } from '@app/http';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { routeAccess } from './access-metadata';
import { AuthenticatedClient } from './authenticated-client';
import { BEARER_STRATEGY } from './bearer.strategy';

/**
 * Authenticates the request with the bearer strategy. A public route and a request already
 * authenticated (guards declared on both a controller and its method) pass without a second check.
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard(BEARER_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>();
    if (request.user) return true;
    const access = routeAccess(this.reflector, context.getHandler(), context.getClass());
    if (access.kind === 'public') return true;
    return super.canActivate(context);
  }

  override handleRequest<T = AuthenticatedClient>(error: unknown, client: T | false): T {
    if (error instanceof ApiException) throw error;
    if (error || !client) throw ApiException.invalidToken();
    return client;
  }
}
