import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Scope } from './scopes';

/** The scopes a route requires. */
export const RequiredScopes = Reflector.createDecorator<readonly Scope[]>();

/** Marks a route that anyone may call without a token. */
export const Public = Reflector.createDecorator<true>({ transform: () => true });

export type RouteAccess =
  { kind: 'public' } | { kind: 'scopes'; scopes: readonly Scope[] } | { kind: 'undeclared' };

type Handler = ReturnType<ExecutionContext['getHandler']>;
type Controller = ReturnType<ExecutionContext['getClass']>;

/**
 * What a route declares about access. Method metadata overrides class metadata: a `@Public()`
 * method of a `@Scopes(...)` controller is public, and the reverse requires the method's scopes.
 */
export function routeAccess(
  reflector: Reflector,
  handler: Handler,
  controller: Controller,
): RouteAccess {
  for (const target of [handler, controller]) {
    if (reflector.get(Public, target)) return { kind: 'public' };
    const scopes = reflector.get(RequiredScopes, target);
    if (scopes) return { kind: 'scopes', scopes };
  }
  return { kind: 'undeclared' };
}
