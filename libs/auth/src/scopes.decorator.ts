import {
  ApiErrorResponse,
  BEARER_AUTH,
  errorExample,
  missingScopesMessage,
  REQUIRED_SCOPES_EXTENSION,
} from '@app/http';
import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { RequiredScopes } from './access-metadata';
import { BearerAuthGuard } from './bearer-auth.guard';
import { ClientRateLimitGuard } from './client-rate-limit.guard';
import { Scope } from './scopes';
import { ScopesGuard } from './scopes.guard';

/**
 * Declares the scopes a route (or every route of a controller) requires, and applies
 * authentication, then the scope check, then the client's rate limit, in that order. It also
 * documents all of it in the OpenAPI document: the bearer scheme, the scopes
 * (`x-required-scopes`), and the 401, 403 and 429 answers.
 */
export function Scopes(...scopes: [Scope, ...Scope[]]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    RequiredScopes(scopes),
    UseGuards(BearerAuthGuard, ScopesGuard, ClientRateLimitGuard),
    ApiBearerAuth(BEARER_AUTH),
    ApiExtension(REQUIRED_SCOPES_EXTENSION, [...scopes]),
    ApiErrorResponse(401),
    ApiErrorResponse(403, {
      description: 'forbidden: the token lacks a required scope.',
      examples: {
        missing_scopes: errorExample(
          'Missing scope',
          403,
          'forbidden',
          missingScopesMessage(scopes),
        ),
      },
    }),
    ApiErrorResponse(429),
  );
}
