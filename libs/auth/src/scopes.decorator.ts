import { applyDecorators, UseGuards } from '@nestjs/common';
import { RequiredScopes } from './access-metadata';
import { BearerAuthGuard } from './bearer-auth.guard';
import { ClientRateLimitGuard } from './client-rate-limit.guard';
import { Scope } from './scopes';
import { ScopesGuard } from './scopes.guard';

/**
 * Declares the scopes a route (or every route of a controller) requires, and applies
 * authentication, then the scope check, then the client's rate limit, in that order.
 */
export function Scopes(...scopes: [Scope, ...Scope[]]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    RequiredScopes(scopes),
    UseGuards(BearerAuthGuard, ScopesGuard, ClientRateLimitGuard),
  );
}
