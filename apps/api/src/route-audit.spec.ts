import { routeAccess } from '@app/auth';
import { loadConfig } from '@app/config';
import { DynamicModule, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { AppModule } from './app.module';

type ModuleRef = Type<unknown> | DynamicModule | Promise<DynamicModule>;

/** Every controller reachable from a module, through static and dynamic imports. */
function controllersOf(root: ModuleRef): Type<unknown>[] {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const visit = (ref: ModuleRef | undefined): void => {
    if (!ref || ref instanceof Promise || seen.has(ref)) return;
    seen.add(ref);
    const dynamic = 'module' in ref ? ref : undefined;
    const type = dynamic ? dynamic.module : (ref as Type<unknown>);
    const metadata = (key: string): unknown[] =>
      (Reflect.getMetadata(key, type) as unknown[] | undefined) ?? [];
    for (const controller of [
      ...metadata(MODULE_METADATA.CONTROLLERS),
      ...(dynamic?.controllers ?? []),
    ]) {
      controllers.add(controller as Type<unknown>);
    }
    for (const imported of [...metadata(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])]) {
      visit(imported as ModuleRef);
    }
  };
  visit(root);
  return [...controllers];
}

function routesOf(controller: Type<unknown>) {
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .map((name) => ({ name, handler: prototype[name] }))
    .filter(
      (route): route is { name: string; handler: (...args: unknown[]) => unknown } =>
        typeof route.handler === 'function' &&
        Reflect.getMetadata(PATH_METADATA, route.handler) !== undefined &&
        Reflect.getMetadata(METHOD_METADATA, route.handler) !== undefined,
    );
}

/**
 * Fails when a route declares neither `@Scopes(...)` nor `@Public()`: a forgotten guard breaks the
 * build instead of exposing patient data.
 */
describe('route audit', () => {
  const reflector = new Reflector();
  const controllers = controllersOf(
    AppModule.forRoot(loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'x'.repeat(32) })),
  );

  it('finds the service’s controllers', () => {
    expect(controllers.map((controller) => controller.name)).toContain('JobsController');
  });

  it.each(
    controllers.flatMap((c) =>
      routesOf(c).map((route) => [c.name, route.name, c, route.handler] as const),
    ),
  )('%s.%s declares its scopes or is explicitly public', (_, __, controller, handler) => {
    const access = routeAccess(reflector, handler, controller);
    expect(access.kind).not.toBe('undeclared');
    if (access.kind === 'scopes') expect(access.scopes.length).toBeGreaterThan(0);
  });
});
