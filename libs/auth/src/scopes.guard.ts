import { ApiException } from '@app/http';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { routeAccess } from './access-metadata';
import { AuthenticatedClient } from './authenticated-client';

/** Lets a request through only when its token grants every scope the route requires. */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = routeAccess(this.reflector, context.getHandler(), context.getClass());
    if (access.kind === 'public') return true;
    const client = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user;
    if (!client) throw ApiException.missingBearer();
    // A route that declares nothing is closed: the route audit test keeps this from happening.
    if (access.kind === 'undeclared') return false;
    const missing = access.scopes.filter((scope) => !client.scopes.has(scope));
    if (missing.length > 0) throw ApiException.missingScopes(missing);
    return true;
  }
}
