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
  let byController = declared.get(handler);
  if (!byController) {
    byController = new WeakMap();
    declared.set(handler, byController);
  }
  let access = byController.get(controller);
  if (!access) {
    access = readAccess(reflector, handler, controller);
    byController.set(controller, access);
  }
  return access;
}

/** What each route declares, read from its metadata once (the guards ask on every request). */
const declared = new WeakMap<Handler, WeakMap<Controller, RouteAccess>>();

function readAccess(reflector: Reflector, handler: Handler, controller: Controller): RouteAccess {
  for (const target of [handler, controller]) {
    if (reflector.get(Public, target)) return { kind: 'public' };
    const scopes = reflector.get(RequiredScopes, target);
    if (scopes) return { kind: 'scopes', scopes };
  }
  return { kind: 'undeclared' };
}
